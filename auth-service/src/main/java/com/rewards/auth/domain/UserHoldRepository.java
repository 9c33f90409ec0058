package com.rewards.auth.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class UserHoldRepository implements PanacheRepositoryBase<UserHold, UserHold.Key> {
  public Uni<Boolean> hasHold(String clientId, String userId) {
    return count("clientId = ?1 and userId = ?2", clientId, userId).map(n -> n > 0);
  }

  public Uni<Long> release(String clientId, String userId, String bucket) {
    return delete("clientId = ?1 and userId = ?2 and bucket = ?3", clientId, userId, bucket);
  }
}
