package com.rewards.auth.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class DeletionReceiptRepository
    implements PanacheRepositoryBase<DeletionReceipt, DeletionReceipt.Key> {

  /** The rows of one deleted user of one partner (empty when there is no receipt). */
  public Uni<List<DeletionReceipt>> findFor(String clientId, String userHash) {
    return list(
        "userHash = ?1 and partnerId = (select p.id from Partner p where p.clientId = ?2)",
        Sort.by("service"),
        userHash,
        clientId);
  }

  public Uni<Long> deleteFor(UUID partnerId, String userHash) {
    return delete("partnerId = ?1 and userHash = ?2", partnerId, userHash);
  }

  /**
   * Marks one service's part done, if it is still the pending part of {@code deletionId}. Answers
   * the rows changed: 0 for a report of an earlier deletion, of another partner, of an unexpected
   * service, or for a second report (a part once done stays as it was reported).
   */
  public Uni<Integer> complete(
      String clientId,
      String userHash,
      String service,
      UUID deletionId,
      Instant completedAt,
      String removed,
      String anonymised) {
    return update(
        "status = ?1, completedAt = ?2, removed = ?3, anonymised = ?4"
            + " where userHash = ?5 and service = ?6 and deletionId = ?7 and status = ?9"
            + " and partnerId = (select p.id from Partner p where p.clientId = ?8)",
        DeletionReceipt.DONE,
        completedAt,
        removed,
        anonymised,
        userHash,
        service,
        deletionId,
        clientId,
        DeletionReceipt.PENDING);
  }
}
