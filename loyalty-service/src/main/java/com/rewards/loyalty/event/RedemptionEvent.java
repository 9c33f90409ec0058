package com.rewards.loyalty.event;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** The data of every event on {@code loyalty.redemptions.v1}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RedemptionEvent(
    String clientId,
    String userId,
    String namespacedUserId,
    String redemptionId,
    String giftId,
    String giftName,
    long cost,
    String state,
    Instant occurredAt) {}
