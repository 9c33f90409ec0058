package com.rewards.payment.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The data of {@code payment.subscription.activated.v1} and {@code .canceled.v1}. auth-service
 * relies on {@code client_id}, {@code user_id} and {@code subscription_id}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionEvent(
    String clientId,
    String userId,
    String namespacedUserId,
    String subscriptionId,
    String status,
    String priceId,
    Long quantity,
    Instant currentPeriodEnd,
    Instant occurredAt) {}
