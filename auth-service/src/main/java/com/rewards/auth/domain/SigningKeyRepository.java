package com.rewards.auth.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKey, String> {
  /** Keys that may still verify a live token: unretired, or retired after {@code since}. */
  public Uni<List<SigningKey>> verifying(Instant since) {
    return list("retiredAt is null or retiredAt > ?1 order by createdAt desc", since);
  }

  public Uni<SigningKey> active() {
    return find("retiredAt is null order by createdAt desc").firstResult();
  }
}
