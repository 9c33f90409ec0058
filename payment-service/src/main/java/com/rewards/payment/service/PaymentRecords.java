package com.rewards.payment.service;

import com.rewards.payment.domain.Card;
import com.rewards.payment.domain.CardRepository;
import com.rewards.payment.domain.Charge;
import com.rewards.payment.domain.ChargeRepository;
import com.rewards.payment.domain.PaymentCustomer;
import com.rewards.payment.domain.Subscription;
import com.rewards.payment.domain.SubscriptionRepository;
import com.rewards.payment.event.PaymentEvents;
import com.stripe.model.PaymentSource;
import com.stripe.model.SubscriptionItem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Objects;

/**
 * Applies what Stripe says about a user's cards, charges and subscriptions to the local rows, and
 * announces each change once. Both our own calls (write-through) and webhooks come through here, in
 * either order, so every method compares with what is stored: an event is written only by the first
 * writer that sees a change. Callers hold the user's customer row lock in an open transaction,
 * which serializes the two paths for one user.
 */
@ApplicationScoped
public class PaymentRecords {
  private final CardRepository cards;
  private final ChargeRepository charges;
  private final SubscriptionRepository subscriptions;
  private final PaymentEvents events;

  public PaymentRecords(
      CardRepository cards,
      ChargeRepository charges,
      SubscriptionRepository subscriptions,
      PaymentEvents events) {
    this.cards = cards;
    this.charges = charges;
    this.subscriptions = subscriptions;
    this.events = events;
  }

  /** Stores or refreshes a card of the customer; announces it when it is new here. */
  public Uni<Card> card(PaymentCustomer customer, com.stripe.model.Card source) {
    Instant now = Instant.now();
    return cards
        .findById(source.getId())
        .chain(
            existing -> {
              if (existing != null) {
                copy(source, existing);
                existing.updatedAt = now;
                return Uni.createFrom().item(existing);
              }
              Card card = new Card();
              card.id = source.getId();
              card.clientId = customer.clientId;
              card.userId = customer.userId;
              card.createdAt = now;
              card.updatedAt = now;
              copy(source, card);
              return cards.persist(card).call(c -> events.card(PaymentEvents.CARD_ATTACHED, c));
            });
  }

  /** Removes a card of the customer if it is stored; announces the removal. */
  public Uni<Boolean> removeCard(PaymentCustomer customer, String cardId) {
    return cards
        .findOwned(customer.clientId, customer.userId, cardId)
        .chain(
            card -> {
              if (card == null) {
                return Uni.createFrom().item(false);
              }
              if (cardId.equals(customer.defaultCardId)) {
                customer.defaultCardId = null;
              }
              return events
                  .card(PaymentEvents.CARD_REMOVED, card)
                  .chain(() -> cards.delete(card))
                  .replaceWith(true);
            });
  }

  /**
   * Stores or updates a charge as of {@code seenAt} (Unix seconds); older news than what is stored
   * changes nothing. Announces success, failure and every increase of the refunded amount.
   */
  public Uni<Charge> charge(PaymentCustomer customer, com.stripe.model.Charge source, long seenAt) {
    Instant now = Instant.now();
    return charges
        .lock(source.getId())
        .chain(
            existing -> {
              if (existing == null) {
                Charge charge = new Charge();
                charge.id = source.getId();
                charge.clientId = customer.clientId;
                charge.userId = customer.userId;
                charge.createdAt = now;
                copy(source, charge);
                charge.lastEventAt = seenAt;
                charge.updatedAt = now;
                return charges.persist(charge).call(c -> announceCharge(c, null, 0));
              }
              if (seenAt < existing.lastEventAt) {
                return Uni.createFrom().item(existing);
              }
              String before = existing.status;
              long refundedBefore = existing.amountRefunded;
              copy(source, existing);
              // Refunds only grow; a stale object must not shrink what we already announced.
              existing.amountRefunded = Math.max(existing.amountRefunded, refundedBefore);
              existing.lastEventAt = seenAt;
              existing.updatedAt = now;
              return announceCharge(existing, before, refundedBefore).replaceWith(existing);
            });
  }

  /**
   * Records a declined charge that Stripe named in its error but did not return: what we asked for,
   * failed. Nothing if it is already stored.
   */
  public Uni<Charge> declinedCharge(
      PaymentCustomer customer,
      String chargeId,
      long amount,
      String currency,
      String description,
      String cardId,
      String failureCode) {
    Instant now = Instant.now();
    return charges
        .lock(chargeId)
        .chain(
            existing -> {
              if (existing != null) {
                return Uni.createFrom().item(existing);
              }
              Charge charge = new Charge();
              charge.id = chargeId;
              charge.clientId = customer.clientId;
              charge.userId = customer.userId;
              charge.amount = amount;
              charge.currency = currency;
              charge.description = description;
              charge.cardId = cardId;
              charge.status = Charge.FAILED;
              charge.failureCode = failureCode;
              charge.stripeCreated = now;
              charge.createdAt = now;
              charge.updatedAt = now;
              return charges.persist(charge).call(c -> announceCharge(c, null, 0));
            });
  }

  /** Records a refund we made, whatever the webhook for it has done already. */
  public Uni<Charge> refunded(Charge charge, long refundedNow) {
    long before = charge.amountRefunded;
    charge.amountRefunded = Math.max(before, Math.min(charge.amount, refundedNow));
    charge.updatedAt = Instant.now();
    return announceCharge(charge, charge.status, before).replaceWith(charge);
  }

  private Uni<Void> announceCharge(Charge charge, String statusBefore, long refundedBefore) {
    Uni<Void> status = Uni.createFrom().voidItem();
    if (!Objects.equals(statusBefore, charge.status)) {
      if (Charge.SUCCEEDED.equals(charge.status)) {
        status = events.charge(PaymentEvents.CHARGE_SUCCEEDED, charge).replaceWithVoid();
      } else if (Charge.FAILED.equals(charge.status)) {
        status = events.charge(PaymentEvents.CHARGE_FAILED, charge).replaceWithVoid();
      }
    }
    return status.chain(
        () ->
            charge.amountRefunded > refundedBefore
                ? events.charge(PaymentEvents.CHARGE_REFUNDED, charge).replaceWithVoid()
                : Uni.createFrom().voidItem());
  }

  /**
   * Stores or updates a subscription as of {@code seenAt}; announces when it starts to hold the
   * user (activated) and when it stops (canceled).
   */
  public Uni<Subscription> subscription(
      PaymentCustomer customer, com.stripe.model.Subscription source, long seenAt) {
    Instant now = Instant.now();
    return subscriptions
        .lock(source.getId())
        .chain(
            existing -> {
              if (existing == null) {
                Subscription subscription = new Subscription();
                subscription.id = source.getId();
                subscription.clientId = customer.clientId;
                subscription.userId = customer.userId;
                subscription.createdAt = now;
                copy(source, subscription);
                subscription.lastEventAt = seenAt;
                subscription.updatedAt = now;
                return subscriptions
                    .persist(subscription)
                    .call(s -> announceSubscription(s, false));
              }
              if (seenAt < existing.lastEventAt) {
                return Uni.createFrom().item(existing);
              }
              boolean wasLive = existing.isLive();
              copy(source, existing);
              existing.lastEventAt = seenAt;
              existing.updatedAt = now;
              return announceSubscription(existing, wasLive).replaceWith(existing);
            });
  }

  private Uni<Void> announceSubscription(Subscription subscription, boolean wasLive) {
    if (!wasLive && subscription.isLive()) {
      return events
          .subscription(PaymentEvents.SUBSCRIPTION_ACTIVATED, subscription)
          .replaceWithVoid();
    }
    if (wasLive && !subscription.isLive()) {
      return events
          .subscription(PaymentEvents.SUBSCRIPTION_CANCELED, subscription)
          .replaceWithVoid();
    }
    return Uni.createFrom().voidItem();
  }

  static void copy(com.stripe.model.Card source, Card card) {
    card.brand = source.getBrand();
    card.last4 = source.getLast4();
    card.expMonth = source.getExpMonth() == null ? null : source.getExpMonth().intValue();
    card.expYear = source.getExpYear() == null ? null : source.getExpYear().intValue();
    card.funding = source.getFunding();
    card.country = source.getCountry();
    card.addressLine1 = source.getAddressLine1();
    card.addressCity = source.getAddressCity();
    card.addressZip = source.getAddressZip();
    card.addressCountry = source.getAddressCountry();
  }

  static void copy(com.stripe.model.Charge source, Charge charge) {
    charge.amount = orZero(source.getAmount());
    charge.amountRefunded = orZero(source.getAmountRefunded());
    charge.currency = source.getCurrency();
    charge.status = source.getStatus();
    charge.description = source.getDescription();
    PaymentSource paid = source.getSource();
    charge.cardId = paid != null ? paid.getId() : source.getPaymentMethod();
    charge.failureCode = source.getFailureCode();
    charge.stripeCreated =
        source.getCreated() == null ? Instant.now() : Instant.ofEpochSecond(source.getCreated());
  }

  static void copy(com.stripe.model.Subscription source, Subscription subscription) {
    subscription.status = source.getStatus();
    SubscriptionItem item =
        source.getItems() == null
                || source.getItems().getData() == null
                || source.getItems().getData().isEmpty()
            ? null
            : source.getItems().getData().get(0);
    if (item != null) {
      subscription.priceId = item.getPrice() == null ? null : item.getPrice().getId();
      subscription.quantity = item.getQuantity();
      subscription.currentPeriodEnd = seconds(item.getCurrentPeriodEnd());
    }
    subscription.cancelAtPeriodEnd = Boolean.TRUE.equals(source.getCancelAtPeriodEnd());
    subscription.canceledAt = seconds(source.getCanceledAt());
    subscription.stripeCreated =
        source.getCreated() == null ? Instant.now() : Instant.ofEpochSecond(source.getCreated());
  }

  private static Instant seconds(Long epochSeconds) {
    return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
