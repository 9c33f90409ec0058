package com.rewards.referral.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * The data of the decisions on a referral ({@code applied}, {@code flagged}, {@code approved},
 * {@code denied}). {@code referral_id} is absent only on a denial by the rules at application time,
 * when no referral came to be; {@code reasons} are rule codes (flags, or the refusal).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralEvent(
    String clientId,
    String referralId,
    String referralCode,
    String referrerUserId,
    String referrerAccountId,
    String referredUserId,
    String referredAccountId,
    String namespacedReferredUserId,
    String state,
    List<String> reasons,
    String decidedBy,
    String note,
    Instant occurredAt) {}
