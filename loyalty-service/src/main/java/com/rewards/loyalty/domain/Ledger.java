package com.rewards.loyalty.domain;

import com.rewards.loyalty.event.LoyaltyEvents;
import com.rewards.platform.event.Outbox;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * The only code that moves points. Each operation runs inside the caller's transaction, on an
 * account the caller has locked, and writes the ledger entry, the lots, the balance and the event
 * together, so {@code balance + pending = sum(entries)} holds after every commit.
 */
@ApplicationScoped
public class Ledger {
  private final LedgerEntryRepository entries;
  private final PointsLotRepository lots;
  private final LoyaltyEvents events;

  /** An entry and, for credits, when its points expire. */
  public record Posting(LedgerEntry entry, Instant expiresAt) {}

  public Ledger(LedgerEntryRepository entries, PointsLotRepository lots, LoyaltyEvents events) {
    this.entries = entries;
    this.lots = lots;
    this.events = events;
  }

  /**
   * Credits {@code points}: spendable now, or, for an earn, pending for the program's pending
   * period (a refund or an adjustment gives back what was already spendable); they expire {@code
   * expiryDays} after they become spendable. One statement writes the entry, its lot, the account
   * and the event.
   */
  public Uni<Posting> credit(
      Account account,
      CatalogRules.ProgramRules program,
      String kind,
      long points,
      String sourceType,
      String sourceRef,
      String externalRef,
      String reason,
      Instant now) {
    Instant availableAt =
        LedgerEntry.EARN.equals(kind) && program.pendingDays() > 0
            ? now.plus(Duration.ofDays(program.pendingDays()))
            : now;
    boolean released = !availableAt.isAfter(now);
    Instant expiresAt =
        program.expiryDays() == null
            ? null
            : availableAt.plus(Duration.ofDays(program.expiryDays()));
    return entryId(account)
        .chain(
            id -> {
              if (released) {
                account.balance += points;
              } else {
                account.pending += points;
              }
              if (LedgerEntry.EARN.equals(kind)) {
                account.lifetimeEarned += points;
              }
              account.updatedAt = now;
              LedgerEntry entry =
                  entry(
                      account,
                      kind,
                      points,
                      sourceType,
                      sourceRef,
                      externalRef,
                      reason,
                      availableAt,
                      now);
              entry.id = id;
              return write(CREDIT, entry, account, expiresAt, released, time(expiresAt))
                  .replaceWith(new Posting(entry, expiresAt));
            });
  }

  /**
   * Removes {@code points} the caller has checked the balance affords, from the lots that expire
   * soonest. One statement writes the entry, the lots it took from, the account and the event.
   */
  public Uni<LedgerEntry> debit(
      Account account,
      String kind,
      long points,
      String sourceType,
      String sourceRef,
      String reason,
      Instant now) {
    if (points > account.balance) {
      return Uni.createFrom()
          .failure(new IllegalStateException("Debit larger than the balance; check first"));
    }
    return lots.spendableCovering(account.clientId, account.userId, points)
        .chain(
            spendable -> {
              Long[] ids = new Long[spendable.size()];
              Long[] takes = new Long[spendable.size()];
              long left = points;
              int n = 0;
              for (PointsLotRepository.Spendable lot : spendable) {
                if (left == 0) {
                  break;
                }
                long take = Math.min(left, lot.remaining());
                ids[n] = lot.id();
                takes[n++] = take;
                left -= take;
              }
              if (left != 0) {
                throw new IllegalStateException(
                    "Lots of " + account.userId + " do not cover its balance");
              }
              Long[] lotIds = Arrays.copyOf(ids, n);
              Long[] lotTakes = Arrays.copyOf(takes, n);
              return entryId(account)
                  .chain(
                      id -> {
                        account.balance -= points;
                        if (LedgerEntry.BURN.equals(kind)) {
                          account.lifetimeBurned += points;
                        }
                        account.updatedAt = now;
                        LedgerEntry entry =
                            entry(
                                account,
                                kind,
                                -points,
                                sourceType,
                                sourceRef,
                                null,
                                reason,
                                now,
                                now);
                        entry.id = id;
                        return write(DEBIT, entry, account, null, lotIds, lotTakes)
                            .replaceWith(entry);
                      });
            });
  }

  // $1-$12: the entry; $13-$14: what the operation adds; $15-$19: the account; $20-$25: the
  // event. The bench's pgbench scripts (bench/ledger/earn.sql, burn.sql) run these same
  // statements: change them together.
  static final String INSERT_ENTRY =
      "insert into ledger_entries (id, client_id, user_id, kind, points, balance_after,"
          + " source_type, source_ref, external_ref, reason, available_at, created_at)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
  static final String UPDATE_ACCOUNT =
      "update accounts set balance = $15, pending = $16, lifetime_earned = $17,"
          + " lifetime_burned = $18, updated_at = $19 where client_id = $2 and user_id = $3";
  static final String INSERT_EVENT =
      "insert into outbox (" + Outbox.Row.COLUMNS + ") values ($20, $21, $22, $23, $24, $25)";

  /** $13 released, $14 expires_at; the lot's dates are the entry's. */
  static final String CREDIT =
      "with e as ("
          + INSERT_ENTRY
          + "), l as (insert into points_lots (client_id, user_id, entry_id, points, remaining,"
          + " available_at, released, expires_at, created_at)"
          + " values ($2, $3, $1, $5, $5, $11, $13, $14, $12)), a as ("
          + UPDATE_ACCOUNT
          + ") "
          + INSERT_EVENT;

  /** $13 the lots' ids, $14 what each gives. */
  static final String DEBIT =
      "with e as ("
          + INSERT_ENTRY
          + "), l as (update points_lots p set remaining = p.remaining - t.take"
          + " from unnest($13::bigint[], $14::bigint[]) as t(id, take) where p.id = t.id), a as ("
          + UPDATE_ACCOUNT
          + ") "
          + INSERT_EVENT;

  /**
   * Runs CREDIT or DEBIT: the entry ($1-$12), what the operation adds ($13-$14), the account as it
   * now is ($15-$19) and the entry's event ($20-$25).
   */
  private Uni<Integer> write(
      String sql, LedgerEntry entry, Account account, Instant expiresAt, Object... operation) {
    Outbox.Row event = events.entryRow(entry, account.balance, account.pending, expiresAt);
    return SessionSql.update(
        sql, params(entryValues(entry), operation, accountValues(account), event.values()));
  }

  private Uni<Long> entryId(Account account) {
    Long id = account.nextEntryId;
    if (id != null) {
      account.nextEntryId = null;
      return Uni.createFrom().item(id);
    }
    return SessionSql.row("select nextval('ledger_entries_id_seq')").map(r -> (Long) r[0]);
  }

  private static Object[] entryValues(LedgerEntry e) {
    return new Object[] {
      e.id,
      e.clientId,
      e.userId,
      e.kind,
      e.points,
      e.balanceAfter,
      e.sourceType,
      e.sourceRef,
      e.externalRef,
      e.reason,
      time(e.availableAt),
      time(e.createdAt)
    };
  }

  private static Object[] accountValues(Account a) {
    return new Object[] {
      a.balance, a.pending, a.lifetimeEarned, a.lifetimeBurned, time(a.updatedAt)
    };
  }

  private static Object[] params(Object[]... parts) {
    int size = 0;
    for (Object[] p : parts) {
      size += p.length;
    }
    Object[] all = new Object[size];
    int at = 0;
    for (Object[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /** Makes pending lots whose date has come spendable. No entry: the earn already counted them. */
  public Uni<Long> releaseDue(Account account, Instant now) {
    return lots.dueForRelease(account.clientId, account.userId, now)
        .map(
            due -> {
              long released = 0;
              for (PointsLot lot : due) {
                lot.released = true;
                released += lot.remaining;
              }
              account.pending -= released;
              account.balance += released;
              account.updatedAt = now;
              return released;
            });
  }

  /**
   * Expires what each due lot has left, one entry per lot. Lots always cover the balance, so this
   * never drives it below zero; the guard is there in case that invariant is ever broken.
   */
  public Uni<List<LedgerEntry>> expireDue(Account account, Instant now) {
    return lots.dueForExpiry(account.clientId, account.userId, now)
        .onItem()
        .transformToMulti(due -> Multi.createFrom().iterable(due))
        .onItem()
        .transformToUniAndConcatenate(
            lot -> {
              long amount = Math.min(lot.remaining, account.balance);
              lot.remaining = 0;
              if (amount == 0) {
                return Uni.createFrom().<LedgerEntry>nullItem();
              }
              account.balance -= amount;
              account.updatedAt = now;
              LedgerEntry entry =
                  entry(
                      account,
                      LedgerEntry.EXPIRE,
                      -amount,
                      "expiry",
                      String.valueOf(lot.id),
                      null,
                      "points expired",
                      now,
                      now);
              return entries
                  .persistAndFlush(entry)
                  .call(e -> events.entry(e, account.balance, account.pending, lot.expiresAt));
            })
        .collect()
        .asList();
  }

  private static LedgerEntry entry(
      Account account,
      String kind,
      long points,
      String sourceType,
      String sourceRef,
      String externalRef,
      String reason,
      Instant availableAt,
      Instant now) {
    LedgerEntry entry = new LedgerEntry();
    entry.clientId = account.clientId;
    entry.userId = account.userId;
    entry.kind = kind;
    entry.points = points;
    entry.balanceAfter = account.balance;
    entry.sourceType = sourceType;
    entry.sourceRef = sourceRef;
    entry.externalRef = externalRef;
    entry.reason = reason;
    entry.availableAt = availableAt;
    entry.createdAt = now;
    return entry;
  }
}
