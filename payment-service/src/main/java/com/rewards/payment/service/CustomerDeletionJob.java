package com.rewards.payment.service;

import com.rewards.payment.domain.CustomerDeletion;
import com.rewards.payment.domain.CustomerDeletionRepository;
import com.rewards.payment.stripe.PaymentProviderException;
import com.rewards.payment.stripe.StripeGateway;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Deletes the Stripe customers of deleted users. Each queued customer is claimed in its own
 * transaction (skip locked, so replicas share the work) and removed from the queue only when Stripe
 * confirms; a failure doubles the wait before the next try, up to an hour.
 */
@ApplicationScoped
public class CustomerDeletionJob {
  private static final Logger LOG = Logger.getLogger(CustomerDeletionJob.class);
  private static final Duration MAX_BACKOFF = Duration.ofHours(1);

  private final CustomerDeletionRepository deletions;
  private final StripeGateway stripe;
  private final Duration backoff;
  private final int batch;

  public CustomerDeletionJob(
      CustomerDeletionRepository deletions,
      StripeGateway stripe,
      @ConfigProperty(name = "rewards.payment.customer-deletion.backoff") Duration backoff,
      @ConfigProperty(name = "rewards.payment.customer-deletion.batch") int batch) {
    this.deletions = deletions;
    this.stripe = stripe;
    this.backoff = backoff;
    this.batch = batch;
  }

  @Scheduled(
      every = "${rewards.payment.customer-deletion.interval}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return runDue()
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.warnf("Stripe customer deletions paused, will retry: %s", e.getMessage());
              return Uni.createFrom().voidItem();
            });
  }

  /** Tries every due deletion once; answers how many Stripe confirmed. */
  public Uni<Integer> runDue() {
    Instant now = Instant.now();
    return Panache.withSession(() -> deletions.dueIds(now, batch))
        .chain(
            ids ->
                Multi.createFrom()
                    .iterable(ids)
                    .onItem()
                    .transformToUniAndConcatenate(id -> deleteOne(id, now))
                    .filter(Boolean::booleanValue)
                    .collect()
                    .with(Collectors.counting())
                    .map(Long::intValue));
  }

  private Uni<Boolean> deleteOne(String stripeCustomerId, Instant now) {
    return Panache.withTransaction(
        () ->
            deletions
                .claim(stripeCustomerId, now)
                .chain(row -> row == null ? Uni.createFrom().item(false) : attempt(row)));
  }

  private Uni<Boolean> attempt(CustomerDeletion row) {
    return stripe
        .deleteCustomer(row.stripeCustomerId)
        .replaceWith(true)
        .onFailure(PaymentProviderException.class)
        .recoverWithUni(
            e -> {
              PaymentProviderException failure = (PaymentProviderException) e;
              if (failure.kind() == PaymentProviderException.Kind.PAYMENT_PROVIDER_NOT_FOUND) {
                return Uni.createFrom().item(true); // already gone at Stripe
              }
              row.attempts++;
              row.lastError = failure.code();
              row.nextAttemptAt = Instant.now().plus(backoffFor(row.attempts));
              return Uni.createFrom().item(false);
            })
        .call(done -> done ? deletions.delete(row) : Uni.createFrom().voidItem());
  }

  Duration backoffFor(int attempts) {
    Duration wait = backoff.multipliedBy(1L << Math.min(attempts - 1, 20));
    return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
  }
}
