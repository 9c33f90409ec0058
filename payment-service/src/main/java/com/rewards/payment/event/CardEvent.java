package com.rewards.payment.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** The data of {@code payment.card.attached.v1} and {@code payment.card.removed.v1}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CardEvent(
    String clientId,
    String userId,
    String namespacedUserId,
    String cardId,
    String brand,
    String last4,
    Integer expMonth,
    Integer expYear,
    Instant occurredAt) {}
