package com.rewards.payment.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The data of {@code payment.charge.succeeded.v1}, {@code .failed.v1} and {@code .refunded.v1}.
 * Amounts are in the currency's smallest unit, as Stripe counts them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChargeEvent(
    String clientId,
    String userId,
    String namespacedUserId,
    String chargeId,
    long amount,
    long amountRefunded,
    String currency,
    String status,
    String description,
    String cardId,
    String failureCode,
    Instant occurredAt) {}
