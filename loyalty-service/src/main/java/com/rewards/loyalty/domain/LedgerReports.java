package com.rewards.loyalty.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Partner-wide reads over the ledger that need SQL the entity queries cannot say: the change feed
 * bounded by the snapshot's xmin, the leaderboard's window function, and the reconciliation's
 * grouped sums. Each is one statement, so it reads one consistent snapshot.
 */
@ApplicationScoped
public class LedgerReports {
  private final Pool pool;

  public LedgerReports(Pool pool) {
    this.pool = pool;
  }

  /** A ledger entry as the change feed reports it, with the transaction that wrote it. */
  public record Change(
      long id,
      String txid,
      String userId,
      String kind,
      long points,
      long balanceAfter,
      String sourceType,
      String sourceRef,
      String reason,
      Instant availableAt,
      Instant createdAt) {}

  /**
   * Entries after the position ({@code afterTxid}, {@code afterId}) in (txid, id) order, and the
   * snapshot's xmin: the oldest transaction still running when the statement started.
   */
  public record ChangePage(String xmin, List<Change> changes) {}

  public record AccountRow(
      String userId, long balance, long pending, long lifetimeEarned, long lifetimeBurned) {}

  public record RedemptionRow(
      UUID id,
      String userId,
      UUID giftId,
      String giftName,
      long cost,
      String state,
      long entryId,
      Long refundEntry,
      Instant createdAt,
      Instant refundedAt) {}

  public record RankRow(String userId, long points, long rank) {}

  public record Mismatch(
      String userId,
      long balance,
      long pending,
      long ledgerSum,
      long releasedLots,
      long pendingLots) {}

  public record Reconciliation(long usersChecked, long mismatchCount, List<Mismatch> mismatches) {}

  /**
   * Reads only entries of transactions below xmin: every transaction that had not finished when the
   * snapshot was taken has an xid at or above it, so no entry can later appear behind the position
   * this page ends at, however late its transaction commits. Fetches {@code limit} rows; the caller
   * asks for one more than it returns to know whether more wait.
   */
  public Uni<ChangePage> changes(String clientId, String afterTxid, long afterId, int limit) {
    return pool.preparedQuery(
            "with snap as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)"
                + " select snap.xmin::text as xmin, e.id, e.txid, e.user_id, e.kind, e.points,"
                + " e.balance_after, e.source_type, e.source_ref, e.reason, e.available_at,"
                + " e.created_at"
                + " from snap left join lateral ("
                + "   select id, txid::text as txid, user_id, kind, points, balance_after,"
                + "   source_type, source_ref, reason, available_at, created_at"
                + "   from ledger_entries"
                + "   where client_id = $1 and txid < snap.xmin"
                + "   and (txid > ($2::text)::xid8 or (txid = ($2::text)::xid8 and id > $3))"
                + "   order by ledger_entries.txid, id limit $4) e on true"
                + " order by e.txid::xid8, e.id")
        .execute(Tuple.of(clientId, afterTxid, afterId, (long) limit))
        .map(
            rows -> {
              String xmin = null;
              List<Change> changes = new ArrayList<>();
              for (Row r : rows) {
                xmin = r.getString("xmin");
                if (r.getLong("id") != null) {
                  changes.add(
                      new Change(
                          r.getLong("id"),
                          r.getString("txid"),
                          r.getString("user_id"),
                          r.getString("kind"),
                          r.getLong("points"),
                          r.getLong("balance_after"),
                          r.getString("source_type"),
                          r.getString("source_ref"),
                          r.getString("reason"),
                          instant(r, "available_at"),
                          instant(r, "created_at")));
                }
              }
              return new ChangePage(xmin, changes);
            });
  }

  public Uni<List<AccountRow>> accounts(String clientId, List<String> userIds) {
    return pool.preparedQuery(
            "select user_id, balance, pending, lifetime_earned, lifetime_burned from accounts"
                + " where client_id = $1 and user_id = any($2)")
        .execute(Tuple.of(clientId, userIds.toArray(new String[0])))
        .map(
            rows -> {
              List<AccountRow> list = new ArrayList<>();
              for (Row r : rows) {
                list.add(
                    new AccountRow(
                        r.getString("user_id"),
                        r.getLong("balance"),
                        r.getLong("pending"),
                        r.getLong("lifetime_earned"),
                        r.getLong("lifetime_burned")));
              }
              return list;
            });
  }

  /**
   * The redemptions these entries bought ({@code entryIds}: their burn entries) or refunded ({@code
   * redemptionIds}: named by the refund entries), as they are now.
   */
  public Uni<List<RedemptionRow>> redemptionsOf(
      String clientId, List<String> userIds, List<Long> entryIds, List<UUID> redemptionIds) {
    if (entryIds.isEmpty() && redemptionIds.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return pool.preparedQuery(
            "select r.id, r.user_id, r.gift_id, g.name as gift_name, r.cost, r.state, r.entry_id,"
                + " r.refund_entry, r.created_at, r.refunded_at"
                + " from redemptions r join gifts g on g.id = r.gift_id"
                + " where r.client_id = $1 and r.user_id = any($2)"
                + " and (r.entry_id = any($3) or r.id = any($4))"
                + " order by r.created_at, r.id")
        .execute(
            Tuple.of(
                clientId,
                userIds.toArray(new String[0]),
                entryIds.toArray(new Long[0]),
                redemptionIds.toArray(new UUID[0])))
        .map(
            rows -> {
              List<RedemptionRow> list = new ArrayList<>();
              for (Row r : rows) {
                list.add(
                    new RedemptionRow(
                        r.getUUID("id"),
                        r.getString("user_id"),
                        r.getUUID("gift_id"),
                        r.getString("gift_name"),
                        r.getLong("cost"),
                        r.getString("state"),
                        r.getLong("entry_id"),
                        r.getLong("refund_entry"),
                        instant(r, "created_at"),
                        instant(r, "refunded_at")));
              }
              return list;
            });
  }

  /**
   * Points earned (kind earn) since {@code since} (null = ever), ranked by points then user id: the
   * top {@code limit} users and, wherever it ranks, {@code userId} (null = nobody).
   */
  public Uni<List<RankRow>> ranking(String clientId, Instant since, int limit, String userId) {
    return pool.preparedQuery(
            "with totals as ("
                + "   select user_id, sum(points)::bigint as points from ledger_entries"
                + "   where client_id = $1 and kind = 'earn'"
                + "   and created_at >= coalesce($2::timestamptz, '-infinity'::timestamptz)"
                + "   group by user_id),"
                + " ranked as ("
                + "   select user_id, points,"
                + "   row_number() over (order by points desc, user_id collate \"C\") as rank"
                + "   from totals)"
                + " select user_id, points, rank from ranked"
                + " where rank <= $3 or user_id = $4::text order by rank")
        .execute(
            Tuple.of(
                clientId,
                since == null ? null : OffsetDateTime.ofInstant(since, ZoneOffset.UTC),
                (long) limit,
                userId))
        .map(
            rows -> {
              List<RankRow> list = new ArrayList<>();
              for (Row r : rows) {
                list.add(
                    new RankRow(r.getString("user_id"), r.getLong("points"), r.getLong("rank")));
              }
              return list;
            });
  }

  /**
   * Checks every user of the partner: balance + pending = sum of the ledger, balance = what
   * released lots have left, pending = what unreleased lots have left. A user known to only one of
   * the three tables is checked too (the others count as zero). Lists at most {@code maxListed}
   * mismatches, by user id.
   */
  public Uni<Reconciliation> reconcile(String clientId, int maxListed) {
    return pool.preparedQuery(
            "with ledger as ("
                + "   select user_id, sum(points)::bigint as ledger_sum from ledger_entries"
                + "   where client_id = $1 group by user_id),"
                + " lots as ("
                + "   select user_id,"
                + "   coalesce(sum(remaining) filter (where released), 0)::bigint as released_lots,"
                + "   coalesce(sum(remaining) filter (where not released), 0)::bigint"
                + "     as pending_lots"
                + "   from points_lots where client_id = $1 group by user_id),"
                + " accts as (select user_id, balance, pending from accounts where client_id = $1),"
                + " users as ("
                + "   select user_id from accts union select user_id from ledger"
                + "   union select user_id from lots),"
                + " checked as ("
                + "   select u.user_id, coalesce(a.balance, 0) as balance,"
                + "   coalesce(a.pending, 0) as pending, coalesce(l.ledger_sum, 0) as ledger_sum,"
                + "   coalesce(p.released_lots, 0) as released_lots,"
                + "   coalesce(p.pending_lots, 0) as pending_lots"
                + "   from users u left join accts a using (user_id)"
                + "   left join ledger l using (user_id) left join lots p using (user_id)),"
                + " bad as ("
                + "   select * from checked where balance + pending <> ledger_sum"
                + "   or balance <> released_lots or pending <> pending_lots)"
                + " select (select count(*) from checked) as users_checked,"
                + " (select count(*) from bad) as mismatch_count, m.*"
                + " from (select 1) one left join lateral ("
                + "   select * from bad order by user_id collate \"C\" limit $2) m on true")
        .execute(Tuple.of(clientId, (long) maxListed))
        .map(
            rows -> {
              long checked = 0;
              long count = 0;
              List<Mismatch> mismatches = new ArrayList<>();
              for (Row r : rows) {
                checked = r.getLong("users_checked");
                count = r.getLong("mismatch_count");
                if (r.getString("user_id") != null) {
                  mismatches.add(
                      new Mismatch(
                          r.getString("user_id"),
                          r.getLong("balance"),
                          r.getLong("pending"),
                          r.getLong("ledger_sum"),
                          r.getLong("released_lots"),
                          r.getLong("pending_lots")));
                }
              }
              return new Reconciliation(checked, count, mismatches);
            });
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
