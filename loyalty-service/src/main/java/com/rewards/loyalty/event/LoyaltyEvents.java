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
    String type =
        switch (entry.kind) {
          case LedgerEntry.EARN -> POINTS_EARNED;
          case LedgerEntry.BURN -> POINTS_BURNED;
          case LedgerEntry.EXPIRE -> POINTS_EXPIRED;
          default -> POINTS_ADJUSTED;
        };
    String key = Caller.namespaced(entry.clientId, entry.userId);
    return outbox.append(
        LEDGER_TOPIC,
        key,
        type,
        entry.clientId,
        key,
        new PointsEvent(
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
            entry.createdAt));
  }

  public Uni<CloudEvent> redemption(Redemption redemption, Gift gift) {
    String key = Caller.namespaced(redemption.clientId, redemption.userId);
    boolean refunded = Redemption.REFUNDED.equals(redemption.state);
    return outbox.append(
        REDEMPTIONS_TOPIC,
        key,
        refunded ? REDEMPTION_REFUNDED : GIFT_REDEEMED,
        redemption.clientId,
        key,
        new RedemptionEvent(
            redemption.clientId,
            redemption.userId,
            key,
            redemption.id.toString(),
            gift.id.toString(),
            gift.name,
            redemption.cost,
            redemption.state,
            refunded ? redemption.refundedAt : redemption.createdAt));
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
