package com.rewards.referral.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

  public Uni<List<ApiKey>> listFor(String clientId) {
    return list("clientId = ?1 order by createdAt, id", clientId);
  }

  public Uni<ApiKey> findOwned(String clientId, UUID id) {
    return find("clientId = ?1 and id = ?2", clientId, id).firstResult();
  }

  public Uni<Long> countActiveWithHash(String clientId, String keyHash) {
    return count("clientId = ?1 and keyHash = ?2 and revokedAt is null", clientId, keyHash);
  }
}
