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

  /** Links of the provider name that another issuer (or an unknown one) vouched for. */
  public Uni<Long> countNotUnder(UUID partnerId, String provider, String issuer) {
    return count(
        "partnerId = ?1 and provider = ?2 and (issuer is null or issuer <> ?3)",
        partnerId,
        provider,
        issuer);
  }

  /** Hands every link of the provider name to {@code issuer}. */
  public Uni<Integer> transfer(UUID partnerId, String provider, String issuer) {
    return update(
        "issuer = ?3 where partnerId = ?1 and provider = ?2", partnerId, provider, issuer);
  }
}
