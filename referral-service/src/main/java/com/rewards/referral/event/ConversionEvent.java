package com.rewards.referral.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The data of {@code referral.referral.converted.v1}; its first six fields are the contract
 * loyalty-service credits points from (once per referral and side).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConversionEvent(
    String clientId,
    String referralId,
    String referrerUserId,
    String referredUserId,
    long referrerPoints,
    long referredPoints,
    String referrerAccountId,
    String referredAccountId,
    String namespacedReferredUserId,
    String referralCode,
    String trigger,
    Instant occurredAt) {}
