package com.rewards.payment.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class CardRepository implements PanacheRepositoryBase<Card, String> {

  /** The card only if it belongs to this user: another user's card id finds nothing. */
  public Uni<Card> findOwned(String clientId, String userId, String cardId) {
    return find("id = ?1 and clientId = ?2 and userId = ?3", cardId, clientId, userId)
        .firstResult();
  }

  public Uni<List<Card>> listFor(String clientId, String userId) {
    return list("clientId = ?1 and userId = ?2 order by createdAt desc, id", clientId, userId);
  }

  public Uni<Long> countFor(String clientId, String userId) {
    return count("clientId = ?1 and userId = ?2", clientId, userId);
  }
}
