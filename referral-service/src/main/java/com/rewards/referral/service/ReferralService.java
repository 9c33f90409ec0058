package com.rewards.referral.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.referral.domain.FraudRules;
import com.rewards.referral.domain.FraudRules.Refusal;
import com.rewards.referral.domain.Participant;
import com.rewards.referral.domain.ParticipantRepository;
import com.rewards.referral.domain.Referral;
import com.rewards.referral.domain.ReferralCodes;
import com.rewards.referral.domain.ReferralProgram;
import com.rewards.referral.domain.ReferralProgramRepository;
import com.rewards.referral.domain.ReferralRepository;
import com.rewards.referral.event.ReferralEvents;
import com.rewards.referral.service.ParticipantService.UserFields;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The referral lifecycle: applying a code (with the fraud rules), conversion on the referred user's
 * first qualifying event or by the partner, moderation of flagged referrals, and forgetting a
 * deleted user. Every decision writes its event in the same transaction.
 */
@ApplicationScoped
public class ReferralService {
  /** Ids that replaced a deleted user's in referrals. */
  public static final String PSEUDONYM_PREFIX = "deleted-";

  private final ReferralRepository referrals;
  private final ParticipantRepository participants;
  private final ReferralProgramRepository programs;
  private final ParticipantService participantService;
  private final ReferralEvents events;
  private final Idempotency idempotency;

  /** A user as another user may see them in a referral. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UserRef(
      String id, String accountId, String firstName, String lastInitial, String imageUrl) {}

  /** A referral on the open endpoints: no fraud reasons, no partner notes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReferralView(
      String id,
      String referralCode,
      String state,
      UserRef referrerUser,
      UserRef referredUser,
      Instant dateReferred,
      Instant dateConverted) {}

  public record ReferralList(
      long totalCount, int count, int limit, int offset, List<ReferralView> referrals) {}

  /** What an application decided: the referral, or the refusal that the client gets as a 4xx. */
  public record ApplyOutcome(ReferralView referral, boolean created, Refusal refusal) {}

  /** A referral as its partner sees it on {@code /manage/v1/referral}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ManagedReferral(
      String id,
      String referralCode,
      String state,
      String referrerAccountId,
      String referrerUserId,
      String referredAccountId,
      String referredUserId,
      List<String> reasons,
      String note,
      Instant qualifiedAt,
      String conversionTrigger,
      Long referrerPoints,
      Long referredPoints,
      Instant createdAt,
      Instant decidedAt,
      Instant convertedAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ManagedPage(long total, int limit, int offset, List<ManagedReferral> referrals) {}

  public ReferralService(
      ReferralRepository referrals,
      ParticipantRepository participants,
      ReferralProgramRepository programs,
      ParticipantService participantService,
      ReferralEvents events,
      Idempotency idempotency) {
    this.referrals = referrals;
    this.participants = participants;
    this.programs = programs;
    this.participantService = participantService;
    this.events = events;
    this.idempotency = idempotency;
  }

  // ------------------------------------------------------------------ applying a code

  /**
   * The referred user applies {@code code}. A refusal is an event too, so its transaction commits
   * before the refusal is thrown; re-applying the code that referred the user answers the existing
   * referral ({@code created} false).
   *
   * @param tokenFields the write token's fields (the user is created from them if new), or null for
   *     an API key (the user must exist)
   */
  public Uni<ApplyOutcome> apply(
      String tenant,
      String code,
      String accountId,
      String userId,
      UserFields tokenFields,
      String idempotencyScope,
      String idempotencyKey) {
    return Panache.withTransaction(
            () ->
                idempotency.execute(
                    idempotencyScope,
                    idempotencyKey,
                    List.of(String.valueOf(code), accountId, userId),
                    ApplyOutcome.class,
                    () -> decide(tenant, code, accountId, userId, tokenFields)))
        // The unique key on the referred user: a race the locks did not see (should not happen).
        .onFailure(Failures::isUniqueViolation)
        .transform(e -> alreadyReferred())
        .map(
            outcome -> {
              if (outcome.refusal() != null) {
                Refusal r = outcome.refusal();
                throw new ApiException(r.status(), r.code(), r.message());
              }
              return outcome;
            });
  }

  private Uni<ApplyOutcome> decide(
      String tenant, String rawCode, String accountId, String userId, UserFields tokenFields) {
    String code =
        rawCode != null && rawCode.matches(ReferralCodes.PATTERN)
            ? ReferralCodes.canonical(rawCode)
            : null;
    return referred(tenant, accountId, userId, tokenFields)
        .chain(
            referred ->
                (code == null
                        ? Uni.createFrom().<Participant>nullItem()
                        : participants.findByCode(tenant, code))
                    .chain(
                        referrer ->
                            programs
                                .findById(tenant)
                                .chain(
                                    program -> {
                                      if (referrer == null) {
                                        return refuse(
                                            tenant,
                                            code,
                                            null,
                                            referred,
                                            new Refusal(
                                                404,
                                                FraudRules.CODE_INVALID,
                                                "No such referral code."));
                                      }
                                      if (program == null || !program.enabled) {
                                        return refuse(
                                            tenant,
                                            code,
                                            referrer,
                                            referred,
                                            new Refusal(
                                                409,
                                                FraudRules.CODE_INVALID,
                                                "This referral program is closed."));
                                      }
                                      // Both rows locked in id order: one user's applications
                                      // and one referrer's run one at a time, without deadlock.
                                      return lockPair(referrer, referred)
                                          .chain(() -> decideLocked(program, referrer, referred));
                                    })));
  }

  private Uni<Participant> referred(
      String tenant, String accountId, String userId, UserFields tokenFields) {
    Uni<Participant> found = participants.findByUser(tenant, userId);
    if (tokenFields != null) {
      // A write token carries the user: an app may apply the code at sign-up in one call.
      found =
          found.chain(
              p ->
                  p != null
                      ? Uni.createFrom().item(p)
                      : participantService
                          .insertNew(tenant, accountId, userId, tokenFields)
                          .onFailure(ParticipantService.UserExists.class)
                          .recoverWithUni(() -> participants.findByUser(tenant, userId)));
    }
    return found.map(
        p -> {
          if (p == null || !p.accountId.equals(accountId)) {
            throw ApiException.notFound("No such user.");
          }
          return p;
        });
  }

  private Uni<Void> lockPair(Participant a, Participant b) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select id from participants where id in (:a, :b) order by id for update")
                    .setParameter("a", a.id)
                    .setParameter("b", b.id)
                    .getResultList())
        .replaceWithVoid();
  }

  private Uni<ApplyOutcome> decideLocked(
      ReferralProgram program, Participant referrer, Participant referred) {
    String tenant = program.clientId;
    return referrals
        .findByReferred(tenant, referred.userId)
        .chain(
            existing -> {
              if (existing != null) {
                if (existing.referrerUserId.equals(referrer.userId)) {
                  return Uni.createFrom()
                      .item(new ApplyOutcome(view(existing, referrer, referred), false, null));
                }
                return refuse(
                    tenant,
                    referrer.referralCode,
                    referrer,
                    referred,
                    new Refusal(
                        409, FraudRules.ALREADY_REFERRED, "This user was referred already."));
              }
              Refusal self = FraudRules.selfReferral(referrer, referred);
              if (self != null) {
                return refuse(tenant, referrer.referralCode, referrer, referred, self);
              }
              if (!referred.referable) {
                return refuse(
                    tenant,
                    referrer.referralCode,
                    referrer,
                    referred,
                    new Refusal(409, FraudRules.NOT_REFERABLE, "This user cannot be referred."));
              }
              Instant now = Instant.now();
              return referrals
                  .countByReferrerSince(tenant, referrer.userId, now.minus(1, ChronoUnit.DAYS))
                  .chain(
                      lastDay -> {
                        if (program.velocityLimitPerDay != null
                            && lastDay >= program.velocityLimitPerDay) {
                          return refuse(
                              tenant,
                              referrer.referralCode,
                              referrer,
                              referred,
                              new Refusal(
                                  409,
                                  FraudRules.VELOCITY_LIMIT,
                                  "This referral code has reached its limit for today."));
                        }
                        return create(program, referrer, referred, now);
                      });
            });
  }

  private Uni<ApplyOutcome> create(
      ReferralProgram program, Participant referrer, Participant referred, Instant now) {
    String tenant = program.clientId;
    return referrals
        .countByReferrerSince(tenant, referrer.userId, now.minus(1, ChronoUnit.HOURS))
        .chain(
            lastHour ->
                referrals
                    .findByReferred(tenant, referrer.userId)
                    .chain(
                        referrersOwn -> {
                          boolean circular =
                              referrersOwn != null
                                  && referrersOwn.referrerUserId.equals(referred.userId);
                          List<String> flags =
                              FraudRules.flags(
                                  referrer,
                                  referred,
                                  circular,
                                  lastHour,
                                  program.flagHourlyThreshold);
                          Referral r = new Referral();
                          r.id = UUID.randomUUID();
                          r.clientId = tenant;
                          r.referrerAccountId = referrer.accountId;
                          r.referrerUserId = referrer.userId;
                          r.referredAccountId = referred.accountId;
                          r.referredUserId = referred.userId;
                          r.referralCode = referrer.referralCode;
                          r.state = flags.isEmpty() ? Referral.PENDING : Referral.FLAGGED;
                          r.reasons = flags.toArray(String[]::new);
                          r.createdAt = now;
                          r.updatedAt = now;
                          Uni<Referral> saved = referrals.persist(r).call(events::applied);
                          if (!flags.isEmpty()) {
                            saved = saved.call(events::flagged);
                          }
                          return saved.map(
                              x -> new ApplyOutcome(view(r, referrer, referred), true, null));
                        }));
  }

  private Uni<ApplyOutcome> refuse(
      String tenant, String code, Participant referrer, Participant referred, Refusal refusal) {
    return events
        .refused(tenant, code, referrer, referred.accountId, referred.userId, refusal.code())
        .map(e -> new ApplyOutcome(null, false, refusal));
  }

  // ------------------------------------------------------------------ reading

  /** The referrals a referrer made (or all of the partner's), newest first, with the total. */
  @WithSession
  public Uni<ReferralList> list(
      String tenant, String referrerAccountId, String referrerUserId, int limit, int offset) {
    return referrals
        .page(tenant, referrerAccountId, referrerUserId, null, limit, offset)
        .chain(
            page ->
                participantsOf(tenant, page.items())
                    .map(
                        people ->
                            new ReferralList(
                                page.total(),
                                page.items().size(),
                                limit,
                                offset,
                                page.items().stream()
                                    .map(
                                        r ->
                                            view(
                                                r,
                                                people.get(r.referrerUserId),
                                                people.get(r.referredUserId)))
                                    .toList())));
  }

  @WithSession
  public Uni<ManagedPage> manageList(
      String tenant, String state, String referrerUserId, int limit, int offset) {
    return referrals
        .page(tenant, null, referrerUserId, state, limit, offset)
        .map(
            page ->
                new ManagedPage(
                    page.total(),
                    limit,
                    offset,
                    page.items().stream().map(ReferralService::managed).toList()));
  }

  @WithSession
  public Uni<ManagedReferral> manageGet(String tenant, UUID id) {
    return referrals
        .findOwned(tenant, id)
        .onItem()
        .ifNull()
        .failWith(ReferralService::noSuchReferral)
        .map(ReferralService::managed);
  }

  private Uni<Map<String, Participant>> participantsOf(String tenant, List<Referral> items) {
    Collection<String> ids =
        items.stream()
            .flatMap(r -> java.util.stream.Stream.of(r.referrerUserId, r.referredUserId))
            .collect(Collectors.toSet());
    if (ids.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return participants
        .list("clientId = ?1 and userId in ?2", tenant, ids)
        .map(
            list ->
                list.stream()
                    .collect(Collectors.toMap(p -> p.userId, Function.identity(), (a, b) -> a)));
  }

  // ------------------------------------------------------------------ moderation and conversion

  /** A flagged referral is cleared: PENDING again, or CONVERTED if it qualified meanwhile. */
  public Uni<ManagedReferral> approve(
      String tenant, UUID id, String note, String idempotencyScope, String idempotencyKey) {
    return moderate(
        tenant,
        id,
        List.of("approve", id.toString(), String.valueOf(note)),
        idempotencyScope,
        idempotencyKey,
        (r, program) -> {
          if (!Referral.FLAGGED.equals(r.state)) {
            throw ApiException.conflict(
                "REFERRAL_NOT_FLAGGED", "Only a flagged referral can be approved.");
          }
          Instant now = Instant.now();
          r.state = Referral.PENDING;
          r.note = note;
          r.decidedAt = now;
          r.updatedAt = now;
          Uni<Referral> approved = events.approved(r).replaceWith(r);
          return r.qualifiedAt == null
              ? approved
              : approved.chain(() -> convert(r, program, r.conversionTrigger));
        });
  }

  /** The partner refuses a flagged (or still pending) referral; final. */
  public Uni<ManagedReferral> deny(
      String tenant, UUID id, String note, String idempotencyScope, String idempotencyKey) {
    return moderate(
        tenant,
        id,
        List.of("deny", id.toString(), String.valueOf(note)),
        idempotencyScope,
        idempotencyKey,
        (r, program) -> {
          if (!r.isOpen()) {
            throw ApiException.conflict(
                "REFERRAL_CLOSED",
                "This referral is " + r.state.toLowerCase(Locale.ROOT) + " already.");
          }
          Instant now = Instant.now();
          r.state = Referral.DENIED;
          r.note = note;
          r.decidedAt = now;
          r.updatedAt = now;
          return events.denied(r).replaceWith(r);
        });
  }

  /** The partner converts by hand (any trigger setting); a flagged one is thereby approved. */
  public Uni<ManagedReferral> convertByHand(
      String tenant, UUID id, String idempotencyScope, String idempotencyKey) {
    return moderate(
        tenant,
        id,
        List.of("convert", id.toString()),
        idempotencyScope,
        idempotencyKey,
        (r, program) -> {
          if (Referral.CONVERTED.equals(r.state)) {
            throw ApiException.conflict(
                "REFERRAL_ALREADY_CONVERTED", "This referral is converted already.");
          }
          if (Referral.DENIED.equals(r.state)) {
            throw ApiException.conflict("REFERRAL_DENIED", "This referral was denied.");
          }
          return convert(r, program, ReferralProgram.TRIGGER_MANUAL);
        });
  }

  private interface Decision {
    Uni<Referral> apply(Referral referral, ReferralProgram program);
  }

  private Uni<ManagedReferral> moderate(
      String tenant,
      UUID id,
      Object request,
      String idempotencyScope,
      String idempotencyKey,
      Decision decision) {
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                idempotencyScope,
                idempotencyKey,
                request,
                ManagedReferral.class,
                () ->
                    referrals
                        .lockOwned(tenant, id)
                        .onItem()
                        .ifNull()
                        .failWith(ReferralService::noSuchReferral)
                        .chain(
                            r ->
                                programs
                                    .findById(tenant)
                                    .chain(program -> decision.apply(r, program)))
                        .map(ReferralService::managed)));
  }

  /**
   * Whether the user has a referral a qualifying event could still move: lets the consumers skip
   * the inbox write for the many events of users who were never referred.
   */
  public Uni<Boolean> awaitsConversion(String tenant, String userId) {
    return referrals.findByReferred(tenant, userId).map(r -> r != null && r.isOpen());
  }

  /**
   * The referred user's qualifying event ({@code trigger} {@code points_earned} or {@code payment})
   * converts their pending referral when it is the partner's trigger; a flagged one remembers it
   * for its approval. Runs in the consumer's transaction.
   */
  public Uni<Void> onQualifyingEvent(String tenant, String userId, String trigger) {
    return programs
        .findById(tenant)
        .chain(
            program -> {
              if (program == null || !trigger.equals(program.conversionTrigger)) {
                return Uni.createFrom().voidItem();
              }
              return referrals
                  .lockByReferred(tenant, userId)
                  .chain(
                      r -> {
                        if (r == null) {
                          return Uni.createFrom().voidItem();
                        }
                        if (Referral.PENDING.equals(r.state)) {
                          return convert(r, program, trigger).replaceWithVoid();
                        }
                        if (Referral.FLAGGED.equals(r.state) && r.qualifiedAt == null) {
                          r.qualifiedAt = Instant.now();
                          r.conversionTrigger = trigger;
                          r.updatedAt = r.qualifiedAt;
                        }
                        return Uni.createFrom().voidItem();
                      });
            });
  }

  /**
   * The rewards are the program's at conversion time. A referrer who was deleted gets nothing (an
   * anonymous id must not become a points account in loyalty).
   */
  private Uni<Referral> convert(Referral r, ReferralProgram program, String trigger) {
    Instant now = Instant.now();
    r.state = Referral.CONVERTED;
    r.convertedAt = now;
    r.updatedAt = now;
    r.conversionTrigger = trigger;
    r.referrerPoints =
        program == null || r.referrerUserId.startsWith(PSEUDONYM_PREFIX)
            ? 0L
            : program.referrerPoints;
    r.referredPoints =
        program == null || r.referredUserId.startsWith(PSEUDONYM_PREFIX)
            ? 0L
            : program.referredPoints;
    return events.converted(r).replaceWith(r);
  }

  /**
   * A deleted user: their participant row (all personal data) goes; their referrals stay for the
   * counts, under a pseudonym; what was done is reported for auth's deletion receipt. Runs in the
   * consumer's transaction.
   */
  public Uni<Void> forget(String deletionId, String tenant, String userId, Instant deletedAt) {
    return participants
        .deleteByUser(tenant, userId)
        .chain(
            removed ->
                referrals
                    .anonymise(tenant, userId, PSEUDONYM_PREFIX + UUID.randomUUID())
                    .chain(
                        anonymised ->
                            events.userErased(
                                deletionId,
                                tenant,
                                userId,
                                deletedAt,
                                Map.of("participants", removed),
                                Map.of("referrals", anonymised))))
        .replaceWithVoid();
  }

  // ------------------------------------------------------------------ views

  static ReferralView view(Referral r, Participant referrer, Participant referred) {
    return new ReferralView(
        r.id.toString(),
        r.referralCode,
        r.state,
        ref(r.referrerUserId, r.referrerAccountId, referrer),
        ref(r.referredUserId, r.referredAccountId, referred),
        r.createdAt,
        r.convertedAt);
  }

  private static UserRef ref(String userId, String accountId, Participant p) {
    return p == null
        ? new UserRef(userId, accountId, null, null, null)
        : new UserRef(userId, accountId, p.firstName, p.lastInitial(), p.imageUrl);
  }

  static ManagedReferral managed(Referral r) {
    return new ManagedReferral(
        r.id.toString(),
        r.referralCode,
        r.state,
        r.referrerAccountId,
        r.referrerUserId,
        r.referredAccountId,
        r.referredUserId,
        r.reasons == null ? List.of() : Arrays.asList(r.reasons),
        r.note,
        r.qualifiedAt,
        r.conversionTrigger,
        r.referrerPoints,
        r.referredPoints,
        r.createdAt,
        r.decidedAt,
        r.convertedAt);
  }

  private static ApiException noSuchReferral() {
    return ApiException.notFound("No such referral.");
  }

  private static ApiException alreadyReferred() {
    return ApiException.conflict(FraudRules.ALREADY_REFERRED, "This user was referred already.");
  }
}
