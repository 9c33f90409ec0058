package com.rewards.loyalty.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.loyalty.domain.Account;
import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.loyalty.domain.LedgerQueries;
import com.rewards.loyalty.domain.LedgerReports;
import com.rewards.loyalty.domain.LedgerReports.AccountRow;
import com.rewards.loyalty.domain.LedgerReports.Change;
import com.rewards.loyalty.domain.LedgerReports.RankRow;
import com.rewards.loyalty.domain.LedgerReports.RedemptionRow;
import com.rewards.platform.error.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What a partner's server reads about its users: one, a page, the change feed, the ranking. */
@ApplicationScoped
public class UserInfoService {
  private static final String INFOS_CURSOR = "u1";
  private static final String CHANGES_CURSOR = "x1";

  private final AccountRepository accounts;
  private final LedgerQueries ledger;
  private final LedgerReports reports;

  /** A user's points; the counts only where one user is asked for (earns = credits). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UserInfo(
      String userId,
      long balance,
      long pending,
      long lifetimeEarned,
      long lifetimeBurned,
      Long earnsCount,
      Long burnsCount,
      Instant createdAt,
      Instant updatedAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record UserPage(List<UserInfo> users, boolean hasMore, String nextCursor) {}

  /** A ledger entry of the feed; {@code points} is signed like the ledger. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record EntryView(
      long id,
      String kind,
      long points,
      long balanceAfter,
      String sourceType,
      String sourceRef,
      String reason,
      Instant availableAt,
      Instant createdAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record RedemptionView(
      String id,
      String giftId,
      String giftName,
      long cost,
      String state,
      long entryId,
      Long refundEntryId,
      Instant createdAt,
      Instant refundedAt) {}

  /** A user whose points changed: the account as it is now, and the entries of this page. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ChangedUser(
      String userId,
      long balance,
      long pending,
      long lifetimeEarned,
      long lifetimeBurned,
      List<EntryView> entries,
      List<RedemptionView> redemptions) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Changes(List<ChangedUser> users, int entries, boolean hasMore, String nextCursor) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Ranked(Long rank, String userId, long points) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Ranking(String period, Instant since, List<Ranked> ranking, Ranked user) {}

  public UserInfoService(AccountRepository accounts, LedgerQueries ledger, LedgerReports reports) {
    this.accounts = accounts;
    this.ledger = ledger;
    this.reports = reports;
  }

  /** One user of the partner; 404 if the program has never seen them. */
  @WithSession
  public Uni<UserInfo> info(String clientId, String userId) {
    return accounts
        .find(clientId, userId)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("No such user in this program."))
        .chain(
            a ->
                ledger
                    .countCredits(clientId, userId)
                    .chain(
                        earns ->
                            ledger
                                .countRedemptions(clientId, userId)
                                .map(burns -> view(a, earns, burns))));
  }

  /** The partner's users by user id, after the cursor's user. */
  @WithSession
  public Uni<UserPage> infos(String clientId, String cursor, int limit) {
    String after = cursor == null ? "" : HistoryService.decode(INFOS_CURSOR, cursor, 1)[0];
    return accounts
        .page(clientId, after, limit + 1)
        .map(
            rows -> {
              boolean more = rows.size() > limit;
              List<Account> page = more ? rows.subList(0, limit) : rows;
              return new UserPage(
                  page.stream().map(a -> view(a, null, null)).toList(),
                  more,
                  more ? HistoryService.encode(INFOS_CURSOR, page.getLast().userId) : null);
            });
  }

  /**
   * Ledger entries (and the redemptions they bought or refunded) after the cursor, in commit-safe
   * order, grouped by user. The cursor is a position (txid, id): a full page ends at its last
   * entry, so the next call resumes right after it; a partial page ends at the snapshot's xmin,
   * below which every transaction has finished, so a write committing after this read always lands
   * after the cursor. Absent cursor = from the beginning.
   */
  public Uni<Changes> changes(String clientId, String cursor, int limit) {
    String afterTxid = "0";
    long afterId = 0;
    if (cursor != null) {
      String[] parts = HistoryService.decode(CHANGES_CURSOR, cursor, 2);
      afterTxid = String.valueOf(HistoryService.parseLong(parts[0]));
      afterId = HistoryService.parseLong(parts[1]);
    }
    String from = afterTxid;
    long fromId = afterId;
    return reports
        .changes(clientId, afterTxid, afterId, limit + 1)
        .chain(
            page -> {
              boolean more = page.changes().size() > limit;
              List<Change> changes = more ? page.changes().subList(0, limit) : page.changes();
              String next =
                  more
                      ? HistoryService.encode(
                          CHANGES_CURSOR, changes.getLast().txid() + "|" + changes.getLast().id())
                      : HistoryService.encode(CHANGES_CURSOR, bound(page.xmin(), from, fromId));
              return group(clientId, changes)
                  .map(users -> new Changes(users, changes.size(), more, next));
            });
  }

  /**
   * The position after a partial page: the xmin (every txid at or above it is still to come). The
   * xmin never goes backwards; should it ever, the old position stands, so no entry repeats.
   */
  private static String bound(String xmin, String previousTxid, long previousId) {
    return Long.compareUnsigned(Long.parseUnsignedLong(xmin), Long.parseUnsignedLong(previousTxid))
            > 0
        ? xmin + "|0"
        : previousTxid + "|" + previousId;
  }

  private Uni<List<ChangedUser>> group(String clientId, List<Change> changes) {
    if (changes.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<String> userIds = changes.stream().map(Change::userId).distinct().toList();
    List<Long> burnEntries =
        changes.stream()
            .filter(c -> RedemptionService.SOURCE_GIFT.equals(c.sourceType()))
            .map(Change::id)
            .toList();
    List<UUID> refunded = new ArrayList<>();
    for (Change c : changes) {
      if (RedemptionService.SOURCE_REDEMPTION.equals(c.sourceType()) && c.sourceRef() != null) {
        try {
          refunded.add(UUID.fromString(c.sourceRef()));
        } catch (IllegalArgumentException ignored) {
          // Not a redemption written by this service; the entry alone still reports the change.
        }
      }
    }
    return reports
        .accounts(clientId, userIds)
        .chain(
            accountRows ->
                reports
                    .redemptionsOf(clientId, userIds, burnEntries, refunded)
                    .map(
                        redemptionRows -> assemble(userIds, changes, accountRows, redemptionRows)));
  }

  private static List<ChangedUser> assemble(
      List<String> userIds,
      List<Change> changes,
      List<AccountRow> accountRows,
      List<RedemptionRow> redemptionRows) {
    Map<String, AccountRow> byUser =
        accountRows.stream().collect(Collectors.toMap(AccountRow::userId, Function.identity()));
    Map<String, List<EntryView>> entries = new LinkedHashMap<>();
    userIds.forEach(u -> entries.put(u, new ArrayList<>()));
    for (Change c : changes) {
      entries
          .get(c.userId())
          .add(
              new EntryView(
                  c.id(),
                  c.kind(),
                  c.points(),
                  c.balanceAfter(),
                  c.sourceType(),
                  c.sourceRef(),
                  c.reason(),
                  c.availableAt(),
                  c.createdAt()));
    }
    Map<String, List<RedemptionView>> redemptions =
        redemptionRows.stream()
            .collect(
                Collectors.groupingBy(
                    RedemptionRow::userId,
                    Collectors.mapping(
                        r ->
                            new RedemptionView(
                                r.id().toString(),
                                r.giftId().toString(),
                                r.giftName(),
                                r.cost(),
                                r.state(),
                                r.entryId(),
                                r.refundEntry(),
                                r.createdAt(),
                                r.refundedAt()),
                        Collectors.toList())));
    List<ChangedUser> users = new ArrayList<>();
    entries.forEach(
        (userId, list) -> {
          // A user purged since the entries were read has no account: report zeros.
          AccountRow a = byUser.getOrDefault(userId, new AccountRow(userId, 0, 0, 0, 0));
          users.add(
              new ChangedUser(
                  userId,
                  a.balance(),
                  a.pending(),
                  a.lifetimeEarned(),
                  a.lifetimeBurned(),
                  list,
                  redemptions.getOrDefault(userId, List.of())));
        });
    return users;
  }

  /**
   * The leaderboard by points earned (kind earn) in the UTC calendar period ({@code day}, {@code
   * week} from Monday, {@code month}, {@code all}), ties broken by user id; with {@code userId},
   * also that user's own rank (null when they earned nothing in the period).
   */
  public Uni<Ranking> ranking(
      String clientId, String period, int limit, String userId, Instant now) {
    Instant since = periodStart(period, now);
    return reports
        .ranking(clientId, since, limit, userId)
        .map(
            rows -> {
              List<Ranked> top =
                  rows.stream()
                      .filter(r -> r.rank() <= limit)
                      .map(r -> new Ranked(r.rank(), r.userId(), r.points()))
                      .toList();
              Ranked own = null;
              if (userId != null) {
                own =
                    rows.stream()
                        .filter(r -> r.userId().equals(userId))
                        .findFirst()
                        .map((RankRow r) -> new Ranked(r.rank(), r.userId(), r.points()))
                        .orElse(new Ranked(null, userId, 0));
              }
              return new Ranking(period, since, top, own);
            });
  }

  static Instant periodStart(String period, Instant now) {
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate start =
        switch (period) {
          case "day" -> today;
          case "week" -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
          case "month" -> today.withDayOfMonth(1);
          case "all" -> null;
          default -> throw ApiException.badRequest("period must be day, week, month or all.");
        };
    return start == null ? null : start.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static UserInfo view(Account a, Long earns, Long burns) {
    return new UserInfo(
        a.userId,
        a.balance,
        a.pending,
        a.lifetimeEarned,
        a.lifetimeBurned,
        earns,
        burns,
        a.createdAt,
        a.updatedAt);
  }
}
