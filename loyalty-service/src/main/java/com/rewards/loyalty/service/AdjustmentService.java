package com.rewards.loyalty.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.loyalty.domain.CatalogRules;
import com.rewards.loyalty.domain.Ledger;
import com.rewards.loyalty.domain.LedgerEntry;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** A partner's manual correction of a user's points, with its reason on the ledger. */
@ApplicationScoped
public class AdjustmentService {
  static final String SOURCE_ADJUSTMENT = "adjustment";

  private final CatalogRules rules;
  private final AccountRepository accounts;
  private final Ledger ledger;
  private final Idempotency idempotency;

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Adjusted(long entryId, String userId, long points, long balance, long pending) {}

  public AdjustmentService(
      CatalogRules rules, AccountRepository accounts, Ledger ledger, Idempotency idempotency) {
    this.rules = rules;
    this.accounts = accounts;
    this.ledger = ledger;
    this.idempotency = idempotency;
  }

  public Uni<Adjusted> adjust(
      String clientId, String userId, long points, String reason, String idempotencyKey) {
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                "adjust:" + clientId,
                idempotencyKey,
                List.of(userId, points, reason),
                Adjusted.class,
                () -> adjustInTransaction(clientId, userId, points, reason)));
  }

  private Uni<Adjusted> adjustInTransaction(
      String clientId, String userId, long points, String reason) {
    Instant now = Instant.now();
    return EarnService.requireProgram(rules, clientId)
        .chain(
            program ->
                accounts
                    .lockOrCreate(clientId, userId)
                    .chain(
                        account -> {
                          Uni<LedgerEntry> entry;
                          if (points > 0) {
                            entry =
                                ledger
                                    .credit(
                                        account,
                                        program,
                                        LedgerEntry.ADJUST,
                                        points,
                                        SOURCE_ADJUSTMENT,
                                        null,
                                        null,
                                        reason,
                                        now)
                                    .map(p -> p.entry());
                          } else {
                            if (-points > account.balance) {
                              throw ApiException.conflict(
                                  "INSUFFICIENT_POINTS",
                                  "The balance does not cover this deduction.");
                            }
                            entry =
                                ledger.debit(
                                    account,
                                    LedgerEntry.ADJUST,
                                    -points,
                                    SOURCE_ADJUSTMENT,
                                    null,
                                    reason,
                                    now);
                          }
                          return entry.map(
                              e ->
                                  new Adjusted(
                                      e.id, userId, points, account.balance, account.pending));
                        }));
  }
}
