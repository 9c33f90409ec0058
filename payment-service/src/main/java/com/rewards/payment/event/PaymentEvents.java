package com.rewards.payment.event;

import com.rewards.payment.domain.Card;
import com.rewards.payment.domain.Charge;
import com.rewards.payment.domain.Subscription;
import com.rewards.platform.event.CloudEvent;
import com.rewards.platform.event.Outbox;
import com.rewards.platform.event.UserErasures;
import com.rewards.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/**
 * The events payment-service publishes on {@code payment.payments.v1}, written to the outbox in the
 * caller's transaction and keyed by the namespaced user id, so one user's events stay in order.
 */
@ApplicationScoped
public class PaymentEvents {
  public static final String TOPIC = "payment.payments.v1";
  public static final String ERASURES_TOPIC = "payment.erasures.v1";

  public static final String CARD_ATTACHED = "payment.card.attached.v1";
  public static final String CARD_REMOVED = "payment.card.removed.v1";
  public static final String CHARGE_SUCCEEDED = "payment.charge.succeeded.v1";
  public static final String CHARGE_FAILED = "payment.charge.failed.v1";
  public static final String CHARGE_REFUNDED = "payment.charge.refunded.v1";
  public static final String USER_ERASED = "payment.user.erased.v1";

  /** auth-service places the hold {@code subscription:<id>} (no deletion) when it sees this. */
  public static final String SUBSCRIPTION_ACTIVATED = "payment.subscription.activated.v1";

  /** auth-service lifts that hold when it sees this. */
  public static final String SUBSCRIPTION_CANCELED = "payment.subscription.canceled.v1";

  private final Outbox outbox;
  private final UserErasures erasures;

  public PaymentEvents(Outbox outbox, UserErasures erasures) {
    this.outbox = outbox;
    this.erasures = erasures;
  }

  public Uni<CloudEvent> card(String type, Card card) {
    String key = Caller.namespaced(card.clientId, card.userId);
    return outbox.append(
        TOPIC,
        key,
        type,
        card.clientId,
        key,
        new CardEvent(
            card.clientId,
            card.userId,
            key,
            card.id,
            card.brand,
            card.last4,
            card.expMonth,
            card.expYear,
            Instant.now()));
  }

  public Uni<CloudEvent> charge(String type, Charge charge) {
    String key = Caller.namespaced(charge.clientId, charge.userId);
    return outbox.append(
        TOPIC,
        key,
        type,
        charge.clientId,
        key,
        new ChargeEvent(
            charge.clientId,
            charge.userId,
            key,
            charge.id,
            charge.amount,
            charge.amountRefunded,
            charge.currency,
            charge.status,
            charge.description,
            charge.cardId,
            charge.failureCode,
            Instant.now()));
  }

  public Uni<CloudEvent> subscription(String type, Subscription subscription) {
    String key = Caller.namespaced(subscription.clientId, subscription.userId);
    return outbox.append(
        TOPIC,
        key,
        type,
        subscription.clientId,
        key,
        new SubscriptionEvent(
            subscription.clientId,
            subscription.userId,
            key,
            subscription.id,
            subscription.status,
            subscription.priceId,
            subscription.quantity,
            subscription.currentPeriodEnd,
            Instant.now()));
  }

  /** What this service removed of a deleted user, for auth's deletion receipt. */
  public Uni<CloudEvent> userErased(
      String deletionId,
      String clientId,
      String userId,
      Instant deletedAt,
      Map<String, Integer> removed,
      Map<String, Integer> anonymised) {
    return erasures.completed(
        ERASURES_TOPIC, USER_ERASED, deletionId, clientId, userId, deletedAt, removed, anonymised);
  }
}
