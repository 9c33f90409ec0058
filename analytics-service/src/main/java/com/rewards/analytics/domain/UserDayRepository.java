package com.rewards.analytics.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class UserDayRepository implements PanacheRepositoryBase<UserDay, UserDay.Key> {

  public Uni<Long> deleteUser(String clientId, String userId) {
    return delete("clientId = ?1 and userId = ?2", clientId, userId);
  }
}
