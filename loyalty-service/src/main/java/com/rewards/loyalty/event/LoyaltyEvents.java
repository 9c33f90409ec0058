package com.rewards.loyalty.event;

import com.rewards.loyalty.domain.Gift;
import com.rewards.loyalty.domain.LedgerEntry;
import com.rewards.loyalty.domain.Redemption;
import com.rewards.platform.event.CloudEvent;
import com.rewards.platform.event.Outbox;
import com.rewards.platform.event.UserErasures;
import com.rewards.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** The events loyalty-service publishes, written to the outbox in the caller's transaction. */
@ApplicationScoped
public class LoyaltyEvents {
  public static final String LEDGER_TOPIC = "loyalty.ledger.v1";
  public static final String REDEMPTIONS_TOPIC = "loyalty.redemptions.v1";
  public static final String ERASURES_TOPIC = "loyalty.erasures.v1";

  public static final String POINTS_EARNED = "loyalty.points.earned.v1";
  public static final String POINTS_BURNED = "loyalty.points.burned.v1";
  public static final String POINTS_EXPIRED = "loyalty.points.expired.v1";
  public static final String POINTS_ADJUSTED = "loyalty.points.adjusted.v1";
  public static final String GIFT_REDEEMED = "loyalty.gift.redeemed.v1";
  public static final String REDEMPTION_REFUNDED = "loyalty.redemption.refunded.v1";
  public static final String USER_ERASED = "loyalty.user.erased.v1";

  private final Outbox outbox;
  private final UserErasures erasures;

  public LoyaltyEvents(Outbox outbox, UserErasures erasures) {
    this.outbox = outbox;
    this.erasures = erasures;
  }

  /** The ledger event for an entry, typed by its kind (refunds and adjustments are adjusted). */
  public Uni<CloudEvent> entry(LedgerEntry entry, long balance, long pending, Instant expiresAt) {
    return Uni.createFrom()
        .item(() -> entryRow(entry, balance, pending, expiresAt))
        .chain(outbox::append);
  }

  /** {@link #entry} as an outbox row, for a statement that writes it with the entry. */
  public Outbox.Row entryRow(LedgerEntry entry, long balance, long pending, Instant expiresAt) {
    String key = Caller.namespaced(entry.clientId, entry.userId);
    return outbox.row(
        LEDGER_TOPIC,
        key,
        entryType(entry),
        entry.clientId,
        key,
        entryData(entry, key, balance, pending, expiresAt));
  }

  private static String entryType(LedgerEntry entry) {
    return switch (entry.kind) {
      case LedgerEntry.EARN -> POINTS_EARNED;
      case LedgerEntry.BURN -> POINTS_BURNED;
      case LedgerEntry.EXPIRE -> POINTS_EXPIRED;
      default -> POINTS_ADJUSTED;
    };
  }

  private static PointsEvent entryData(
      LedgerEntry entry, String key, long balance, long pending, Instant expiresAt) {
    return new PointsEvent(
        entry.clientId,
        entry.userId,
        key,
        entry.id,
        entry.kind,
        entry.points,
        balance,
        pending,
        entry.sourceType,
        entry.sourceRef,
        entry.reason,
        entry.availableAt,
        expiresAt,
        entry.createdAt);
  }

  public Uni<CloudEvent> redemption(Redemption redemption, Gift gift) {
    return Uni.createFrom().item(() -> redemptionRow(redemption, gift)).chain(outbox::append);
  }

  /** {@link #redemption} as an outbox row, for a statement that writes it with the redemption. */
  public Outbox.Row redemptionRow(Redemption redemption, Gift gift) {
    String key = Caller.namespaced(redemption.clientId, redemption.userId);
    return outbox.row(
        REDEMPTIONS_TOPIC,
        key,
        redemptionType(redemption),
        redemption.clientId,
        key,
        redemptionData(redemption, gift, key));
  }

  private static String redemptionType(Redemption redemption) {
    return Redemption.REFUNDED.equals(redemption.state) ? REDEMPTION_REFUNDED : GIFT_REDEEMED;
  }

  private static RedemptionEvent redemptionData(Redemption redemption, Gift gift, String key) {
    boolean refunded = Redemption.REFUNDED.equals(redemption.state);
    return new RedemptionEvent(
        redemption.clientId,
        redemption.userId,
        key,
        redemption.id.toString(),
        gift.id.toString(),
        gift.name,
        redemption.cost,
        redemption.state,
        refunded ? redemption.refundedAt : redemption.createdAt);
  }

  /** What this service removed of a deleted user, for auth's deletion receipt. */
  public Uni<CloudEvent> userErased(
      String deletionId,
      String clientId,
      String userId,
      Instant deletedAt,
      Map<String, Integer> removed,
      Map<String, Integer> anonymised) {
    return erasures.completed(
        ERASURES_TOPIC, USER_ERASED, deletionId, clientId, userId, deletedAt, removed, anonymised);
  }
}
