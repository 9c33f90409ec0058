package com.rewards.auth.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class IdentityProviderRepository
    implements PanacheRepositoryBase<IdentityProvider, IdentityProvider.Key> {
  public Uni<IdentityProvider> findByName(UUID partnerId, String name) {
    return find("partnerId = ?1 and name = ?2", partnerId, name).firstResult();
  }

  public Uni<List<IdentityProvider>> listByPartner(UUID partnerId) {
    return list("partnerId = ?1 order by name", partnerId);
  }

  public Uni<Long> deleteByName(UUID partnerId, String name) {
    return delete("partnerId = ?1 and name = ?2", partnerId, name);
  }
}
