package com.rewards.loyalty.domain;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The catalog's reads and guarded writes that the plain repositories do not offer. */
@ApplicationScoped
public class CatalogQueries {
  private final ActionRepository actions;
  private final GiftRepository gifts;

  public CatalogQueries(ActionRepository actions, GiftRepository gifts) {
    this.actions = actions;
    this.gifts = gifts;
  }

  /**
   * Inserts the program unless the partner already has one; answers 1 when it inserted. Two first
   * PUTs racing each other then both land on the update path instead of one failing on the key.
   */
  public Uni<Integer> insertProgramIfAbsent(Program p) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into programs (client_id, name, points_name, expiry_days,"
                            + " pending_days, daily_points_cap, created_at, updated_at)"
                            + " values (:c, :n, :pn, :e, :p, :d, :t, :t) on conflict do nothing")
                    .setParameter("c", p.clientId)
                    .setParameter("n", p.name)
                    .setParameter("pn", p.pointsName)
                    .setParameter("e", p.expiryDays)
                    .setParameter("p", p.pendingDays)
                    .setParameter("d", p.dailyPointsCap)
                    .setParameter("t", p.createdAt)
                    .executeUpdate());
  }

  /** Actions users can complete right now, by code. */
  public Uni<List<Action>> openActions(String clientId, Instant now) {
    return actions.list(
        "clientId = ?1 and active = true and (startsAt is null or startsAt <= ?2)"
            + " and (endsAt is null or endsAt > ?2) order by code",
        clientId,
        now);
  }

  public Uni<List<Action>> actionsByCode(String clientId, Collection<String> codes) {
    return codes.isEmpty()
        ? Uni.createFrom().item(List.of())
        : actions.list("clientId = ?1 and code in ?2", clientId, codes);
  }

  public Uni<List<Gift>> giftsById(String clientId, Collection<UUID> ids) {
    return ids.isEmpty()
        ? Uni.createFrom().item(List.of())
        : gifts.list("clientId = ?1 and id in ?2", clientId, ids);
  }

  /**
   * The gift, locked: an update writes every column back, stock included, so it must not run on a
   * stock value that a concurrent purchase has already decremented.
   */
  public Uni<Gift> lockGift(String clientId, UUID id) {
    return gifts
        .find("clientId = ?1 and id = ?2", clientId, id)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResult();
  }
}
