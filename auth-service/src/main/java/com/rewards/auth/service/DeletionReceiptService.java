package com.rewards.auth.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.auth.domain.DeletionReceipt;
import com.rewards.auth.domain.DeletionReceiptRepository;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.event.UserErasures;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The deletion receipt: what a user's deletion removed in each of the five services. auth-service's
 * part is written with the deletion itself; the others' arrive as their erasure events. Names the
 * user by {@link UserErasures#userHash} only, so a receipt outlives the user.
 */
@ApplicationScoped
public class DeletionReceiptService {
  public static final String AUTH = "auth-service";

  /** Every service that holds users' data, in the order a receipt lists them. */
  public static final List<String> SERVICES =
      List.of(AUTH, "loyalty-service", "referral-service", "payment-service", "analytics-service");

  private static final TypeReference<Map<String, Integer>> COUNTS = new TypeReference<>() {};

  private final DeletionReceiptRepository receipts;
  private final ObjectMapper mapper;

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ServicePart(
      String service,
      String status,
      Instant completedAt,
      Map<String, Integer> removed,
      Map<String, Integer> anonymised) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Receipt(
      String userIdHash,
      String deletionId,
      Instant requestedAt,
      boolean complete,
      List<ServicePart> services) {}

  public DeletionReceiptService(DeletionReceiptRepository receipts, ObjectMapper mapper) {
    this.receipts = receipts;
    this.mapper = mapper;
  }

  /**
   * Starts the receipt of a deletion, in the deletion's transaction: auth-service's part done with
   * {@code removed}, every other service pending. Replaces the receipt of an earlier deletion of
   * the same user id.
   */
  public Uni<Void> open(
      UUID partnerId,
      String clientId,
      String userId,
      UUID deletionId,
      Instant requestedAt,
      Map<String, Integer> removed) {
    String hash = UserErasures.userHash(clientId, userId);
    List<DeletionReceipt> rows = new ArrayList<>();
    for (String service : SERVICES) {
      DeletionReceipt row = new DeletionReceipt();
      row.partnerId = partnerId;
      row.userHash = hash;
      row.service = service;
      row.deletionId = deletionId;
      row.requestedAt = requestedAt;
      if (AUTH.equals(service)) {
        row.status = DeletionReceipt.DONE;
        row.completedAt = requestedAt;
        row.removed = json(removed);
        row.anonymised = json(Map.of());
      } else {
        row.status = DeletionReceipt.PENDING;
      }
      rows.add(row);
    }
    return receipts
        .deleteFor(partnerId, hash)
        .chain(() -> receipts.persist(rows))
        .chain(() -> receipts.flush());
  }

  /**
   * A service reported its purge. Runs in the consumer's transaction. Answers whether a pending
   * part of the current deletion was completed (false for a report of an earlier deletion).
   */
  public Uni<Boolean> complete(
      String clientId,
      String userHash,
      String service,
      UUID deletionId,
      Instant completedAt,
      Map<String, Integer> removed,
      Map<String, Integer> anonymised) {
    return receipts
        .complete(
            clientId,
            userHash,
            service,
            deletionId,
            completedAt,
            json(removed),
            json(anonymised == null ? Map.of() : anonymised))
        .map(n -> n > 0);
  }

  /** The receipt of a user of the caller's partner; 404 when it has none (or is another's). */
  @WithSession
  public Uni<Receipt> receipt(String clientId, String userId) {
    String hash = UserErasures.userHash(clientId, userId);
    return receipts
        .findFor(clientId, hash)
        .map(
            rows -> {
              if (rows.isEmpty()) {
                throw ApiException.notFound("No deletion receipt for this user.");
              }
              List<ServicePart> parts =
                  rows.stream()
                      .sorted(Comparator.comparingInt(r -> order(r.service)))
                      .map(
                          r ->
                              new ServicePart(
                                  r.service,
                                  r.status,
                                  r.completedAt,
                                  counts(r.removed),
                                  counts(r.anonymised)))
                      .toList();
              DeletionReceipt first = rows.get(0);
              return new Receipt(
                  hash,
                  first.deletionId.toString(),
                  first.requestedAt,
                  parts.stream().allMatch(p -> DeletionReceipt.DONE.equals(p.status())),
                  parts);
            });
  }

  private static int order(String service) {
    int i = SERVICES.indexOf(service);
    return i < 0 ? SERVICES.size() : i;
  }

  private String json(Map<String, Integer> counts) {
    try {
      return mapper.writeValueAsString(counts);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Integer> counts(String json) {
    if (json == null) {
      return null;
    }
    try {
      return mapper.readValue(json, COUNTS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
