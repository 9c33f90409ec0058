package com.rewards.payment.domain;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

@ApplicationScoped
public class CustomerDeletionRepository implements PanacheRepositoryBase<CustomerDeletion, String> {

  /** Queues the Stripe customer for deletion; a second request for it changes nothing. */
  public Uni<Integer> enqueue(String stripeCustomerId, String clientId, String userId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into stripe_customer_deletions"
                            + " (stripe_customer_id, client_id, user_id) values (:id, :c, :u)"
                            + " on conflict do nothing")
                    .setParameter("id", stripeCustomerId)
                    .setParameter("c", clientId)
                    .setParameter("u", userId)
                    .executeUpdate());
  }

  public Uni<List<String>> dueIds(Instant now, int limit) {
    return find("nextAttemptAt <= ?1 order by nextAttemptAt", now)
        .page(0, limit)
        .list()
        .map(rows -> rows.stream().map(d -> d.stripeCustomerId).toList());
  }

  /**
   * The row locked, or null when it is gone or another replica is working on it right now: skip
   * locked, so two replicas never delete the same customer at once.
   */
  public Uni<CustomerDeletion> claim(String stripeCustomerId, Instant now) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select * from stripe_customer_deletions where stripe_customer_id = :id"
                            + " and next_attempt_at <= :now for update skip locked",
                        CustomerDeletion.class)
                    .setParameter("id", stripeCustomerId)
                    .setParameter("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                    .getSingleResultOrNull());
  }
}
