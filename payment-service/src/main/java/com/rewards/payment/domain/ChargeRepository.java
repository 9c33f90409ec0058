package com.rewards.payment.domain;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;

@ApplicationScoped
public class ChargeRepository implements PanacheRepositoryBase<Charge, String> {

  /** Newest first. */
  public Uni<List<Charge>> listFor(String clientId, String userId, int limit) {
    return find(
            "clientId = ?1 and userId = ?2 order by stripeCreated desc, id desc", clientId, userId)
        .page(0, limit)
        .list();
  }

  public Uni<Charge> lock(String chargeId) {
    return findById(chargeId, LockModeType.PESSIMISTIC_WRITE);
  }

  /**
   * The user a partner's charge belongs to, or null, read without loading the entity: callers lock
   * the user's customer row first and only then this row, the one lock order of every path.
   */
  public Uni<String> ownerOf(String clientId, String id) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select user_id from charges where id = :id and client_id = :c",
                        String.class)
                    .setParameter("id", id)
                    .setParameter("c", clientId)
                    .getSingleResultOrNull());
  }
}
