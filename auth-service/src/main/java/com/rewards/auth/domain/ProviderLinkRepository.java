package com.rewards.auth.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class ProviderLinkRepository
    implements PanacheRepositoryBase<ProviderLink, ProviderLink.Key> {
  public Uni<ProviderLink> findBySubject(UUID partnerId, String provider, String subject) {
    return find("partnerId = ?1 and provider = ?2 and subject = ?3", partnerId, provider, subject)
        .firstResult();
  }
}
