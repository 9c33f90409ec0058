package com.rewards.loyalty.domain;

import com.rewards.platform.event.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class RedemptionRepository implements PanacheRepositoryBase<Redemption, UUID> {
  public Uni<Long> countCompleted(String clientId, String userId, UUID giftId) {
    return count(
        "clientId = ?1 and userId = ?2 and giftId = ?3 and state = 'completed'",
        clientId,
        userId,
        giftId);
  }

  public Uni<Redemption> lockOwned(String clientId, UUID id) {
    return find("clientId = ?1 and id = ?2", clientId, id)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResult();
  }

  /** Newest first, one more than asked to tell has_more. */
  public Uni<List<Redemption>> history(
      String clientId, String userId, java.time.Instant before, UUID beforeId, int limit) {
    return find(
            "clientId = ?1 and userId = ?2 and (createdAt < ?3 or (createdAt = ?3 and id < ?4))"
                + " order by createdAt desc, id desc",
            clientId,
            userId,
            before,
            beforeId)
        .page(0, limit + 1)
        .list();
  }

  /**
   * Writes a new redemption and its event in one statement (the bench's pgbench burn script runs
   * the same statement: change them together).
   */
  public Uni<Integer> insert(Redemption r, Outbox.Row event) {
    Object[] values = event.values();
    return SessionSql.update(
        INSERT,
        r.id,
        r.clientId,
        r.userId,
        r.giftId,
        r.cost,
        r.state,
        r.entryId,
        r.createdAt.atOffset(ZoneOffset.UTC),
        values[0],
        values[1],
        values[2],
        values[3],
        values[4],
        values[5]);
  }

  static final String INSERT =
      "with r as (insert into redemptions (id, client_id, user_id, gift_id, cost, state, entry_id,"
          + " created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)) insert into outbox ("
          + Outbox.Row.COLUMNS
          + ") values ($9, $10, $11, $12, $13, $14)";

  /** Marks the redemption as changed by this transaction, for readers of the change feed. */
  public Uni<Integer> touch(UUID id) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "update redemptions set txid = pg_current_xact_id() where id = :id")
                    .setParameter("id", id)
                    .executeUpdate());
  }
}
