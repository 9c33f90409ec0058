package com.rewards.loyalty.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class AdRepository implements PanacheRepositoryBase<Ad, UUID> {
  public Uni<List<Ad>> live(String clientId, String kind, Instant now) {
    return list(
        "clientId = ?1 and kind = ?2 and (startsAt is null or startsAt <= ?3)"
            + " and (endsAt is null or endsAt > ?3) order by position, createdAt",
        clientId,
        kind,
        now);
  }

  public Uni<Ad> findOwned(String clientId, UUID id) {
    return find("clientId = ?1 and id = ?2", clientId, id).firstResult();
  }

  public Uni<List<Ad>> listFor(String clientId) {
    return list("clientId = ?1 order by kind, position", clientId);
  }
}
