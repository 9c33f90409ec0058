package com.rewards.referral.event;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The data of {@code referral.participant.created.v1}: ids and the shareable code only; names and
 * email stay in referral-service.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ParticipantEvent(
    String clientId,
    String userId,
    String accountId,
    String namespacedUserId,
    String referralCode,
    Instant occurredAt) {}
