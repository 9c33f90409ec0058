package com.rewards.loyalty.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class PointsLotRepository implements PanacheRepositoryBase<PointsLot, Long> {

  /** Spendable lots, soonest-expiring first (never-expiring last), oldest first among equals. */
  public Uni<List<PointsLot>> spendable(String clientId, String userId) {
    return list(
        "clientId = ?1 and userId = ?2 and released = true and remaining > 0"
            + " order by expiresAt asc nulls last, id asc",
        clientId,
        userId);
  }

  public Uni<List<PointsLot>> dueForExpiry(String clientId, String userId, Instant now) {
    return list(
        "clientId = ?1 and userId = ?2 and remaining > 0 and expiresAt <= ?3 order by id",
        clientId,
        userId,
        now);
  }

  public Uni<List<PointsLot>> dueForRelease(String clientId, String userId, Instant now) {
    return list(
        "clientId = ?1 and userId = ?2 and released = false and availableAt <= ?3 order by id",
        clientId,
        userId,
        now);
  }

  /** Distinct users with lots to expire or release at {@code now}: the jobs' work list. */
  public Uni<List<Object[]>> usersWithDueLots(Instant now, int limit) {
    return find(
            "select distinct clientId, userId from PointsLot where (remaining > 0 and expiresAt <= ?1)"
                + " or (released = false and availableAt <= ?1)",
            now)
        .project(Object[].class)
        .page(0, limit)
        .list();
  }
}
