package com.rewards.payment.service;

import com.rewards.payment.domain.CustomerDeletionRepository;
import com.rewards.payment.domain.CustomerRepository;
import com.rewards.payment.event.PaymentEvents;
import com.rewards.platform.event.Inbox;
import com.rewards.platform.security.TokenRevocations;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/**
 * What auth's events mean here, each applied once per event id: a deleted user loses every local
 * row and, through a queued job, its Stripe customer, and what went is reported for auth's deletion
 * receipt; a logout or a secret rotation revokes older tokens.
 */
@ApplicationScoped
public class UserLifecycleService {
  public static final String USERS_CONSUMER = "payment-service.auth-users";
  public static final String PARTNERS_CONSUMER = "payment-service.auth-partners";

  private final CustomerRepository customers;
  private final CustomerDeletionRepository deletions;
  private final TokenRevocations revocations;
  private final Inbox inbox;
  private final PaymentEvents events;

  public UserLifecycleService(
      CustomerRepository customers,
      CustomerDeletionRepository deletions,
      TokenRevocations revocations,
      Inbox inbox,
      PaymentEvents events) {
    this.customers = customers;
    this.deletions = deletions;
    this.revocations = revocations;
    this.inbox = inbox;
    this.events = events;
  }

  /**
   * Purges the user. The Stripe customer is only queued here: Stripe may be down, and a Kafka
   * consumer must not wait on it. The queue row commits with the purge, so the deletion at Stripe
   * is retried until it is done, never lost.
   */
  @WithTransaction
  public Uni<Boolean> userDeleted(
      String eventId, String clientId, String userId, Instant occurredAt) {
    return inbox.once(
        USERS_CONSUMER,
        eventId,
        () ->
            customers
                .findFor(clientId, userId)
                .chain(
                    customer ->
                        customer == null || customer.stripeCustomerId == null
                            ? Uni.createFrom().item(0)
                            : deletions.enqueue(customer.stripeCustomerId, clientId, userId))
                .chain(() -> customers.purge(clientId, userId))
                .call(() -> revocations.record(clientId, userId, occurredAt))
                .call(
                    removed ->
                        events.userErased(
                            eventId, clientId, userId, occurredAt, removed, Map.of())));
  }

  @WithTransaction
  public Uni<Boolean> userLoggedOut(
      String eventId, String clientId, String userId, Instant tokensValidAfter) {
    return inbox.once(
        USERS_CONSUMER, eventId, () -> revocations.record(clientId, userId, tokensValidAfter));
  }

  @WithTransaction
  public Uni<Boolean> partnerSecretRotated(String eventId, String clientId, Instant notBefore) {
    return inbox.once(
        PARTNERS_CONSUMER,
        eventId,
        () -> revocations.record(clientId, TokenRevocations.SERVER, notBefore));
  }
}
