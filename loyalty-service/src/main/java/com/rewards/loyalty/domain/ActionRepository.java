package com.rewards.loyalty.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ActionRepository implements PanacheRepositoryBase<Action, UUID> {
  public Uni<Action> findByCode(String clientId, String code) {
    return find("clientId = ?1 and code = ?2", clientId, code).firstResult();
  }

  public Uni<List<Action>> listFor(String clientId) {
    return list("clientId = ?1 order by code", clientId);
  }
}
