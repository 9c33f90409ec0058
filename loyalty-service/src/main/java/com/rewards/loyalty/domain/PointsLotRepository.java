package com.rewards.loyalty.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class PointsLotRepository implements PanacheRepositoryBase<PointsLot, Long> {

  /** Lots read per round trip while collecting the lots that cover a debit. */
  static final int SPEND_PAGE = 16;

  /** A spendable lot: its id and what it still holds. */
  public record Spendable(long id, long remaining) {}

  /**
   * The spendable lots a debit of {@code points} takes from, in spending order: soonest-expiring
   * first (never-expiring last), oldest first among equals, and no more than cover the points (all
   * of them if they do not). Read in pages of their id and remainder only, so a user holding
   * hundreds of small lots does not load all of them for each burn. Offsets are stable here: the
   * caller holds the account lock, under which alone lots change, and nothing is modified between
   * pages.
   */
  public Uni<List<Spendable>> spendableCovering(String clientId, String userId, long points) {
    return spendablePage(clientId, userId, points, 0, new ArrayList<>(), 0);
  }

  static final String SPENDABLE_PAGE =
      "select id, remaining from points_lots where client_id = $1 and user_id = $2"
          + " and released = true and remaining > 0 order by expires_at nulls last, id"
          + " limit $3 offset $4";

  private Uni<List<Spendable>> spendablePage(
      String clientId, String userId, long points, int page, List<Spendable> taken, long covered) {
    return SessionSql.rows(
            SPENDABLE_PAGE, clientId, userId, (long) SPEND_PAGE, (long) page * SPEND_PAGE)
        .chain(
            rows -> {
              long sum = covered;
              for (Object[] row : rows) {
                if (sum >= points) {
                  break;
                }
                Spendable lot = new Spendable((Long) row[0], (Long) row[1]);
                taken.add(lot);
                sum += lot.remaining();
              }
              if (sum >= points || rows.size() < SPEND_PAGE) {
                return Uni.createFrom().item(taken);
              }
              return spendablePage(clientId, userId, points, page + 1, taken, sum);
            });
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
