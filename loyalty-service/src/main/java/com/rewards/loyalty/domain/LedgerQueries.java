package com.rewards.loyalty.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One user's history as the app shows it: credits on one side, gifts bought on the other. */
@ApplicationScoped
public class LedgerQueries {
  /** Far enough ahead that the first page of a newest-first keyset starts before it. */
  private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

  private final LedgerEntryRepository entries;
  private final RedemptionRepository redemptions;

  public LedgerQueries(LedgerEntryRepository entries, RedemptionRepository redemptions) {
    this.entries = entries;
    this.redemptions = redemptions;
  }

  /**
   * The user's credits (earns, refunds, positive adjustments), newest first, before {@code
   * beforeId} (exclusive; null = from the newest), one more than asked to tell has_more.
   */
  public Uni<List<LedgerEntry>> credits(String clientId, String userId, Long beforeId, int limit) {
    return entries
        .find(
            "clientId = ?1 and userId = ?2 and points > 0 and id < ?3 order by id desc",
            clientId,
            userId,
            beforeId == null ? Long.MAX_VALUE : beforeId)
        .page(0, limit + 1)
        .list();
  }

  public Uni<Long> countCredits(String clientId, String userId) {
    return entries.count("clientId = ?1 and userId = ?2 and points > 0", clientId, userId);
  }

  /**
   * The user's redemptions, newest first, before the position ({@code before}, {@code beforeId})
   * (exclusive; null = from the newest), one more than asked.
   */
  public Uni<List<Redemption>> redemptions(
      String clientId, String userId, Instant before, UUID beforeId, int limit) {
    return before == null
        ? redemptions.history(clientId, userId, END_OF_TIME, new UUID(0, 0), limit)
        : redemptions.history(clientId, userId, before, beforeId, limit);
  }

  public Uni<Long> countRedemptions(String clientId, String userId) {
    return redemptions.count("clientId = ?1 and userId = ?2", clientId, userId);
  }
}
