package com.rewards.loyalty.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.loyalty.domain.Action;
import com.rewards.loyalty.domain.CatalogQueries;
import com.rewards.loyalty.domain.Gift;
import com.rewards.loyalty.domain.LedgerEntry;
import com.rewards.loyalty.domain.LedgerQueries;
import com.rewards.loyalty.domain.Redemption;
import com.rewards.platform.error.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A user's own history, newest first, in keyset pages. Earns are every credit of the ledger: action
 * and referral earns, refunds of gifts and positive adjustments; burns are the gifts the user
 * bought, with their state. Expiries and deductions are in neither list: they are on the ledger
 * feed ({@code user/incrementalinfos}) and its events.
 */
@ApplicationScoped
public class HistoryService {
  private static final String EARNS_CURSOR = "e1";
  private static final String BURNS_CURSOR = "b1";

  private final LedgerQueries ledger;
  private final CatalogQueries catalog;

  /** One credit; {@code pending} while its points are not yet spendable. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record EarnItem(
      long id,
      String kind,
      long points,
      String sourceType,
      String sourceRef,
      String actionName,
      String reason,
      long balanceAfter,
      boolean pending,
      Instant availableAt,
      Instant createdAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record BurnItem(
      String id,
      String giftId,
      String giftName,
      String giftImageUrl,
      long cost,
      String state,
      Instant createdAt,
      Instant refundedAt) {}

  /** A page; {@code next_cursor} is null on the last one. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Page<T>(List<T> items, boolean hasMore, String nextCursor) {}

  public HistoryService(LedgerQueries ledger, CatalogQueries catalog) {
    this.ledger = ledger;
    this.catalog = catalog;
  }

  @WithSession
  public Uni<Page<EarnItem>> earns(String clientId, String userId, String cursor, int limit) {
    Long before = cursor == null ? null : parseLong(decode(EARNS_CURSOR, cursor, 1)[0]);
    return ledger
        .credits(clientId, userId, before, limit)
        .chain(
            rows -> {
              List<LedgerEntry> page = rows.size() > limit ? rows.subList(0, limit) : rows;
              boolean more = rows.size() > limit;
              return earnItems(clientId, page)
                  .map(
                      items ->
                          new Page<>(
                              items,
                              more,
                              more
                                  ? encode(EARNS_CURSOR, String.valueOf(page.getLast().id))
                                  : null));
            });
  }

  @WithSession
  public Uni<Page<BurnItem>> burns(String clientId, String userId, String cursor, int limit) {
    Instant before = null;
    UUID beforeId = null;
    if (cursor != null) {
      String[] parts = decode(BURNS_CURSOR, cursor, 2);
      try {
        before = Instant.parse(parts[0]);
        beforeId = UUID.fromString(parts[1]);
      } catch (RuntimeException e) {
        throw malformed();
      }
    }
    return ledger
        .redemptions(clientId, userId, before, beforeId, limit)
        .chain(
            rows -> {
              List<Redemption> page = rows.size() > limit ? rows.subList(0, limit) : rows;
              boolean more = rows.size() > limit;
              return burnItems(clientId, page)
                  .map(
                      items -> {
                        Redemption last = more ? page.getLast() : null;
                        return new Page<>(
                            items,
                            more,
                            more ? encode(BURNS_CURSOR, last.createdAt + "|" + last.id) : null);
                      });
            });
  }

  /** Callers hold the session: this chains on it without opening one. */
  Uni<List<EarnItem>> earnItems(String clientId, List<LedgerEntry> entries) {
    List<String> codes =
        entries.stream()
            .filter(e -> EarnService.SOURCE_ACTION.equals(e.sourceType) && e.sourceRef != null)
            .map(e -> e.sourceRef)
            .distinct()
            .toList();
    Instant now = Instant.now();
    return catalog
        .actionsByCode(clientId, codes)
        .map(
            actions -> {
              Map<String, String> names =
                  actions.stream().collect(Collectors.toMap(a -> a.code, (Action a) -> a.name));
              return entries.stream()
                  .map(
                      e ->
                          new EarnItem(
                              e.id,
                              e.kind,
                              e.points,
                              e.sourceType,
                              e.sourceRef,
                              EarnService.SOURCE_ACTION.equals(e.sourceType)
                                  ? names.get(e.sourceRef)
                                  : null,
                              e.reason,
                              e.balanceAfter,
                              e.availableAt != null && e.availableAt.isAfter(now),
                              e.availableAt,
                              e.createdAt))
                  .toList();
            });
  }

  /** Callers hold the session: this chains on it without opening one. */
  Uni<List<BurnItem>> burnItems(String clientId, List<Redemption> redemptions) {
    List<UUID> giftIds = redemptions.stream().map(r -> r.giftId).distinct().toList();
    return catalog
        .giftsById(clientId, giftIds)
        .map(
            gifts -> {
              Map<UUID, Gift> byId =
                  gifts.stream().collect(Collectors.toMap(g -> g.id, Function.identity()));
              return redemptions.stream()
                  .map(
                      r -> {
                        Gift g = byId.get(r.giftId);
                        return new BurnItem(
                            r.id.toString(),
                            r.giftId.toString(),
                            g == null ? null : g.name,
                            g == null ? null : g.imageUrl,
                            r.cost,
                            r.state,
                            r.createdAt,
                            r.refundedAt);
                      })
                  .toList();
            });
  }

  /**
   * Cursors are opaque to clients: base64url of a kind tag and the keyset position, so a cursor of
   * one list is refused by another instead of silently reading the wrong thing.
   */
  static String encode(String kind, String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + "|" + position).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor's {@code parts} fields after its kind tag, or 400 if it is not one of ours. */
  static String[] decode(String kind, String cursor, int parts) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed();
    }
    // The last field takes the rest: a user id may itself contain the separator.
    String[] fields = text.split("\\|", parts + 1);
    if (fields.length != parts + 1 || !fields[0].equals(kind)) {
      throw malformed();
    }
    String[] position = new String[parts];
    System.arraycopy(fields, 1, position, 0, parts);
    for (String p : position) {
      if (p.isEmpty()) {
        throw malformed();
      }
    }
    return position;
  }

  static long parseLong(String value) {
    try {
      long n = Long.parseLong(value);
      if (n < 0) {
        throw malformed();
      }
      return n;
    } catch (NumberFormatException e) {
      throw malformed();
    }
  }

  static ApiException malformed() {
    return ApiException.badRequest("The cursor is not valid.");
  }
}
