package com.rewards.loyalty.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class LedgerEntryRepository implements PanacheRepositoryBase<LedgerEntry, Long> {

  public Uni<LedgerEntry> findByExternalRef(
      String clientId, String userId, String sourceType, String externalRef) {
    return find(
            "clientId = ?1 and userId = ?2 and sourceType = ?3 and externalRef = ?4",
            clientId,
            userId,
            sourceType,
            externalRef)
        .firstResult();
  }

  /** How many times the user earned from this action since {@code since} (null = ever). */
  public Uni<Long> countActionEarns(String clientId, String userId, String code, Instant since) {
    return since == null
        ? count(
            "clientId = ?1 and userId = ?2 and sourceType = 'action' and sourceRef = ?3 and kind = 'earn'",
            clientId,
            userId,
            code)
        : count(
            "clientId = ?1 and userId = ?2 and sourceType = 'action' and sourceRef = ?3 and kind = 'earn'"
                + " and createdAt >= ?4",
            clientId,
            userId,
            code,
            since);
  }

  public Uni<Long> pointsEarnedSince(String clientId, String userId, Instant since) {
    return find(
            "select coalesce(sum(points), 0) from LedgerEntry"
                + " where clientId = ?1 and userId = ?2 and kind = 'earn' and createdAt >= ?3",
            clientId,
            userId,
            since)
        .project(Long.class)
        .firstResult();
  }
}
