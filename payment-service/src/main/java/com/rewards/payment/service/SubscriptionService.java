package com.rewards.payment.service;

import com.rewards.payment.domain.CustomerRepository;
import com.rewards.payment.domain.PaymentCustomer;
import com.rewards.payment.domain.Subscription;
import com.rewards.payment.domain.SubscriptionRepository;
import com.rewards.payment.stripe.StripeGateway;
import com.rewards.payment.stripe.StripeKeys;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Subscriptions: started and canceled by the partner's server, listed to the user. A live one is
 * announced (and so becomes auth's deletion hold) in the transaction that records it.
 */
@ApplicationScoped
public class SubscriptionService {
  private final CustomerAccounts accounts;
  private final CustomerRepository customers;
  private final SubscriptionRepository subscriptions;
  private final PaymentRecords records;
  private final StripeGateway stripe;
  private final Idempotency idempotency;

  public SubscriptionService(
      CustomerAccounts accounts,
      CustomerRepository customers,
      SubscriptionRepository subscriptions,
      PaymentRecords records,
      StripeGateway stripe,
      Idempotency idempotency) {
    this.accounts = accounts;
    this.customers = customers;
    this.subscriptions = subscriptions;
    this.records = records;
    this.stripe = stripe;
    this.idempotency = idempotency;
  }

  @WithSession
  public Uni<List<SubscriptionView>> list(String clientId, String userId, int limit) {
    return subscriptions
        .listFor(clientId, userId, limit)
        .map(list -> list.stream().map(SubscriptionView::of).toList());
  }

  /**
   * Subscribes the user to a Stripe price, paid by the default card. The user's row stays locked
   * across the Stripe call so the last card cannot be deleted meanwhile.
   */
  public Uni<SubscriptionView> start(
      String clientId, String userId, String priceId, long quantity, String idemKey) {
    String scope = "subscribe:" + clientId + ":" + userId;
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                scope,
                idemKey,
                List.of(priceId, quantity),
                SubscriptionView.class,
                () ->
                    accounts
                        .lockExisting(clientId, userId, ChargeService.noCard())
                        .chain(
                            customer -> {
                              if (customer.defaultCardId == null) {
                                throw ChargeService.noCard();
                              }
                              return stripe
                                  .createSubscription(
                                      customer.stripeCustomerId,
                                      priceId,
                                      quantity,
                                      Map.of("client_id", clientId, "user_id", userId),
                                      StripeKeys.derive(scope, idemKey))
                                  .chain(
                                      created ->
                                          records.subscription(
                                              customer, created, Instant.now().getEpochSecond()))
                                  .map(SubscriptionView::of);
                            })));
  }

  /** Cancels at once; the partner's subscriptions only, and only a live one. */
  public Uni<SubscriptionView> cancel(String clientId, String subscriptionId, String idemKey) {
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                "cancel:" + clientId,
                idemKey,
                subscriptionId,
                SubscriptionView.class,
                () ->
                    subscriptions
                        .ownerOf(clientId, subscriptionId)
                        .chain(
                            userId -> {
                              if (userId == null) {
                                throw ApiException.notFound("No such subscription.");
                              }
                              return customers
                                  .lock(clientId, userId)
                                  .chain(customer -> cancelLocked(customer, subscriptionId))
                                  .map(SubscriptionView::of);
                            })));
  }

  private Uni<Subscription> cancelLocked(PaymentCustomer customer, String subscriptionId) {
    return subscriptions
        .lock(subscriptionId)
        .chain(
            subscription -> {
              if (!subscription.isLive()) {
                throw ApiException.conflict(
                    "SUBSCRIPTION_NOT_ACTIVE", "This subscription is not active.");
              }
              return stripe
                  .cancelSubscription(subscriptionId)
                  .chain(
                      canceled ->
                          records.subscription(customer, canceled, Instant.now().getEpochSecond()));
            });
  }
}
