package com.rewards.referral.event;

import com.rewards.platform.event.CloudEvent;
import com.rewards.platform.event.Outbox;
import com.rewards.platform.event.UserErasures;
import com.rewards.platform.security.Caller;
import com.rewards.referral.domain.Participant;
import com.rewards.referral.domain.Referral;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The events referral-service publishes on {@code referral.referrals.v1}, written to the outbox in
 * the caller's transaction. Every record is keyed by the referred (or new) user's namespaced id, so
 * one user's referral story stays in order.
 */
@ApplicationScoped
public class ReferralEvents {
  public static final String TOPIC = "referral.referrals.v1";
  public static final String ERASURES_TOPIC = "referral.erasures.v1";

  public static final String PARTICIPANT_CREATED = "referral.participant.created.v1";
  public static final String APPLIED = "referral.referral.applied.v1";
  public static final String FLAGGED = "referral.referral.flagged.v1";
  public static final String APPROVED = "referral.referral.approved.v1";
  public static final String DENIED = "referral.referral.denied.v1";
  public static final String CONVERTED = "referral.referral.converted.v1";
  public static final String USER_ERASED = "referral.user.erased.v1";

  public static final String BY_RULES = "rules";
  public static final String BY_PARTNER = "partner";

  private final Outbox outbox;
  private final UserErasures erasures;

  public ReferralEvents(Outbox outbox, UserErasures erasures) {
    this.outbox = outbox;
    this.erasures = erasures;
  }

  public Uni<CloudEvent> participantCreated(Participant p) {
    String key = Caller.namespaced(p.clientId, p.userId);
    return outbox.append(
        TOPIC,
        key,
        PARTICIPANT_CREATED,
        p.clientId,
        key,
        new ParticipantEvent(p.clientId, p.userId, p.accountId, key, p.referralCode, p.createdAt));
  }

  public Uni<CloudEvent> applied(Referral r) {
    return decision(APPLIED, r, null, null, r.createdAt);
  }

  public Uni<CloudEvent> flagged(Referral r) {
    return decision(FLAGGED, r, BY_RULES, null, r.createdAt);
  }

  public Uni<CloudEvent> approved(Referral r) {
    return decision(APPROVED, r, BY_PARTNER, r.note, r.decidedAt);
  }

  public Uni<CloudEvent> denied(Referral r) {
    return decision(DENIED, r, BY_PARTNER, r.note, r.decidedAt);
  }

  /** A refusal by the rules: no referral exists, the event records who tried what and why. */
  public Uni<CloudEvent> refused(
      String clientId,
      String code,
      Participant referrer,
      String referredAccountId,
      String referredUserId,
      String reason) {
    String key = Caller.namespaced(clientId, referredUserId);
    return outbox.append(
        TOPIC,
        key,
        DENIED,
        clientId,
        key,
        new ReferralEvent(
            clientId,
            null,
            code,
            referrer == null ? null : referrer.userId,
            referrer == null ? null : referrer.accountId,
            referredUserId,
            referredAccountId,
            key,
            null,
            List.of(reason),
            BY_RULES,
            null,
            Instant.now()));
  }

  public Uni<CloudEvent> converted(Referral r) {
    String key = Caller.namespaced(r.clientId, r.referredUserId);
    return outbox.append(
        TOPIC,
        key,
        CONVERTED,
        r.clientId,
        key,
        new ConversionEvent(
            r.clientId,
            r.id.toString(),
            r.referrerUserId,
            r.referredUserId,
            r.referrerPoints == null ? 0 : r.referrerPoints,
            r.referredPoints == null ? 0 : r.referredPoints,
            r.referrerAccountId,
            r.referredAccountId,
            key,
            r.referralCode,
            r.conversionTrigger,
            r.convertedAt));
  }

  private Uni<CloudEvent> decision(
      String type, Referral r, String decidedBy, String note, Instant at) {
    String key = Caller.namespaced(r.clientId, r.referredUserId);
    return outbox.append(
        TOPIC,
        key,
        type,
        r.clientId,
        key,
        new ReferralEvent(
            r.clientId,
            r.id.toString(),
            r.referralCode,
            r.referrerUserId,
            r.referrerAccountId,
            r.referredUserId,
            r.referredAccountId,
            key,
            r.state,
            r.reasons == null ? List.of() : Arrays.asList(r.reasons),
            decidedBy,
            note,
            at));
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
