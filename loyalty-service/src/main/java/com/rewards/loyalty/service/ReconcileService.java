package com.rewards.loyalty.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.loyalty.domain.LedgerReports;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Proves the ledger's invariants for every user of a partner, in one snapshot: balance + pending
 * equals the sum of the user's entries, balance equals what released lots have left, pending what
 * unreleased lots have left. Read-only; it reports, never repairs.
 */
@ApplicationScoped
public class ReconcileService {
  /** Beyond this many the list stops; {@code mismatch_count} still counts them all. */
  static final int MAX_LISTED = 1000;

  private final LedgerReports reports;

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Mismatch(
      String userId,
      long balance,
      long pending,
      long ledgerSum,
      long releasedLots,
      long pendingLots) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      long usersChecked, boolean consistent, long mismatchCount, List<Mismatch> mismatches) {}

  public ReconcileService(LedgerReports reports) {
    this.reports = reports;
  }

  public Uni<Report> reconcile(String clientId) {
    return reports
        .reconcile(clientId, MAX_LISTED)
        .map(
            r ->
                new Report(
                    r.usersChecked(),
                    r.mismatchCount() == 0,
                    r.mismatchCount(),
                    r.mismatches().stream()
                        .map(
                            m ->
                                new Mismatch(
                                    m.userId(),
                                    m.balance(),
                                    m.pending(),
                                    m.ledgerSum(),
                                    m.releasedLots(),
                                    m.pendingLots()))
                        .toList()));
  }
}
