package com.rewards.payment.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.payment.domain.Charge;

/** A charge in the shape of Stripe's charge object (times in Unix seconds, as Stripe has them). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChargeView(
    String id,
    String object,
    long amount,
    long amountRefunded,
    String currency,
    String status,
    boolean paid,
    boolean refunded,
    String description,
    String paymentMethod,
    String failureCode,
    long created) {

  public static ChargeView of(Charge charge) {
    return new ChargeView(
        charge.id,
        "charge",
        charge.amount,
        charge.amountRefunded,
        charge.currency,
        charge.status,
        Charge.SUCCEEDED.equals(charge.status),
        charge.refunded(),
        charge.description,
        charge.cardId,
        charge.failureCode,
        charge.stripeCreated.getEpochSecond());
  }
}
