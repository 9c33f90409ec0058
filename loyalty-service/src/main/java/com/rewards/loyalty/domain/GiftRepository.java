package com.rewards.loyalty.domain;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class GiftRepository implements PanacheRepositoryBase<Gift, UUID> {
  public Uni<Gift> findOwned(String clientId, UUID id) {
    return find("clientId = ?1 and id = ?2", clientId, id).firstResult();
  }

  /**
   * The gift a purchase is about, read with plain SQL: what a purchase checks and reports, as a
   * plain object (not a managed entity), or null.
   */
  public Uni<Gift> forPurchase(String clientId, UUID id) {
    return SessionSql.row(FOR_PURCHASE, clientId, id)
        .map(
            r -> {
              if (r == null) {
                return null;
              }
              Gift g = new Gift();
              g.id = id;
              g.clientId = clientId;
              g.name = (String) r[0];
              g.cost = (Long) r[1];
              g.stock = (Integer) r[2];
              g.maxPerUser = (Integer) r[3];
              g.startsAt = r[4] == null ? null : ((OffsetDateTime) r[4]).toInstant();
              g.endsAt = r[5] == null ? null : ((OffsetDateTime) r[5]).toInstant();
              g.active = (Boolean) r[6];
              return g;
            });
  }

  static final String FOR_PURCHASE =
      "select name, cost, stock, max_per_user, starts_at, ends_at, active from gifts"
          + " where client_id = $1 and id = $2";

  public Uni<List<Gift>> listFor(String clientId) {
    return list("clientId = ?1 order by position, name", clientId);
  }

  /**
   * Takes one unit of stock if there is one, atomically: concurrent buyers of the last unit see
   * exactly one success. A gift loaded with unlimited stock (null) is not touched: updating its row
   * would only make every buyer of the gift queue on that row's lock. A gift whose stock an
   * operator limits meanwhile still sells this one unit: the purchase is ordered before that
   * change.
   */
  public Uni<Boolean> takeOne(Gift gift) {
    if (gift.stock == null) {
      return Uni.createFrom().item(Boolean.TRUE);
    }
    return SessionSql.update(
            "update gifts set stock = stock - 1, updated_at = now()"
                + " where id = $1 and (stock is null or stock > 0)",
            gift.id)
        .map(rows -> rows == 1);
  }

  public Uni<Integer> putBack(UUID giftId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "update gifts set stock = stock + 1, updated_at = now()"
                            + " where id = :id and stock is not null")
                    .setParameter("id", giftId)
                    .executeUpdate());
  }
}
