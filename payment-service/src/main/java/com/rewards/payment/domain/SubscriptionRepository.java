package com.rewards.payment.domain;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;

@ApplicationScoped
public class SubscriptionRepository implements PanacheRepositoryBase<Subscription, String> {

  /** Newest first. */
  public Uni<List<Subscription>> listFor(String clientId, String userId, int limit) {
    return find(
            "clientId = ?1 and userId = ?2 order by stripeCreated desc, id desc", clientId, userId)
        .page(0, limit)
        .list();
  }

  public Uni<Subscription> lock(String subscriptionId) {
    return findById(subscriptionId, LockModeType.PESSIMISTIC_WRITE);
  }

  public Uni<Boolean> hasLive(String clientId, String userId) {
    return count(
            "clientId = ?1 and userId = ?2 and status in ?3",
            clientId,
            userId,
            List.copyOf(Subscription.LIVE))
        .map(n -> n > 0);
  }

  /**
   * The user a partner's subscription belongs to, or null, read without loading the entity: callers
   * lock the user's customer row first and only then this row, the one lock order of every path.
   */
  public Uni<String> ownerOf(String clientId, String id) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select user_id from subscriptions where id = :id and client_id = :c",
                        String.class)
                    .setParameter("id", id)
                    .setParameter("c", clientId)
                    .getSingleResultOrNull());
  }
}
