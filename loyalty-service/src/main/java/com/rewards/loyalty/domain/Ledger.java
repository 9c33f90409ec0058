package com.rewards.loyalty.domain;

import com.rewards.loyalty.event.LoyaltyEvents;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
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
   * expiryDays} after they become spendable.
   */
  public Uni<Posting> credit(
      Account account,
      Program program,
      String kind,
      long points,
      String sourceType,
      String sourceRef,
      String externalRef,
      String reason,
      Instant now) {
    Instant availableAt =
        LedgerEntry.EARN.equals(kind) && program.pendingDays > 0
            ? now.plus(Duration.ofDays(program.pendingDays))
            : now;
    boolean released = !availableAt.isAfter(now);
    Instant expiresAt =
        program.expiryDays == null ? null : availableAt.plus(Duration.ofDays(program.expiryDays));
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
        entry(account, kind, points, sourceType, sourceRef, externalRef, reason, availableAt, now);
    return entries
        .persistAndFlush(entry)
        .chain(
            saved -> {
              PointsLot lot = new PointsLot();
              lot.clientId = account.clientId;
              lot.userId = account.userId;
              lot.entryId = saved.id;
              lot.points = points;
              lot.remaining = points;
              lot.availableAt = availableAt;
              lot.released = released;
              lot.expiresAt = expiresAt;
              lot.createdAt = now;
              return lots.persist(lot);
            })
        .chain(() -> events.entry(entry, account.balance, account.pending, expiresAt))
        .replaceWith(new Posting(entry, expiresAt));
  }

  /**
   * Removes {@code points} the caller has checked the balance affords, from the lots that expire
   * soonest.
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
        .invoke(
            spendable -> {
              long left = points;
              for (PointsLot lot : spendable) {
                if (left == 0) {
                  break;
                }
                long take = Math.min(left, lot.remaining);
                lot.remaining -= take;
                left -= take;
              }
              if (left != 0) {
                throw new IllegalStateException(
                    "Lots of " + account.userId + " do not cover its balance");
              }
            })
        .chain(
            ignored -> {
              account.balance -= points;
              if (LedgerEntry.BURN.equals(kind)) {
                account.lifetimeBurned += points;
              }
              account.updatedAt = now;
              LedgerEntry entry =
                  entry(account, kind, -points, sourceType, sourceRef, null, reason, now, now);
              return entries
                  .persistAndFlush(entry)
                  .call(e -> events.entry(e, account.balance, account.pending, null));
            });
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
