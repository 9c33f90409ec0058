package com.rewards.loyalty.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The data of every event on {@code loyalty.ledger.v1}: one ledger entry and the balances it left.
 * {@code points} is signed like the entry.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointsEvent(
    String clientId,
    String userId,
    String namespacedUserId,
    long entryId,
    String kind,
    long points,
    long balance,
    long pending,
    String sourceType,
    String sourceRef,
    String reason,
    Instant availableAt,
    Instant expiresAt,
    Instant occurredAt) {}
