package com.rewards.auth.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class OtpCodeRepository implements PanacheRepositoryBase<OtpCode, UUID> {
  public Uni<Long> requestedSince(UUID userRef, Instant since) {
    return count("userRef = ?1 and createdAt > ?2", userRef, since);
  }

  /** The newest unconsumed code for this destination, locked against a concurrent guess. */
  public Uni<OtpCode> latestOpen(UUID userRef, String channel, String destination) {
    return find(
            "userRef = ?1 and channel = ?2 and destination = ?3 and consumedAt is null"
                + " order by createdAt desc",
            userRef,
            channel,
            destination)
        .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
        .firstResult();
  }
}
