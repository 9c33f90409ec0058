package com.rewards.payment.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.payment.domain.Subscription;
import java.time.Instant;

/** A subscription in the shape of Stripe's (times in Unix seconds), flattened to its one price. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionView(
    String id,
    String object,
    String status,
    String priceId,
    Long quantity,
    Long currentPeriodEnd,
    boolean cancelAtPeriodEnd,
    Long canceledAt,
    long created) {

  public static SubscriptionView of(Subscription s) {
    return new SubscriptionView(
        s.id,
        "subscription",
        s.status,
        s.priceId,
        s.quantity,
        seconds(s.currentPeriodEnd),
        s.cancelAtPeriodEnd,
        seconds(s.canceledAt),
        s.stripeCreated.getEpochSecond());
  }

  private static Long seconds(Instant at) {
    return at == null ? null : at.getEpochSecond();
  }
}
