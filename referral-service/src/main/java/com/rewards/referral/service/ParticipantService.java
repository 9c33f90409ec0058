package com.rewards.referral.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.referral.domain.Participant;
import com.rewards.referral.domain.ParticipantRepository;
import com.rewards.referral.domain.ReferralCodes;
import com.rewards.referral.domain.ReferralProgram;
import com.rewards.referral.domain.ReferralProgramRepository;
import com.rewards.referral.event.ReferralEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Document 001's users ("participants"): create, upsert and lookup, and the two public lookups by
 * referral code. Who supplies the fields is the caller's business: the resource hands over the
 * fields that caller may set (a write token's, or an API key's body).
 */
@ApplicationScoped
public class ParticipantService {
  public static final String ID_PATTERN = "^(?!.*___)[A-Za-z0-9._:@+|-]{1,128}$";
  static final String LOCALE_PATTERN = "^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,3}$";
  static final String IMAGE_URL_PATTERN = "^(https?://\\S+)?$";
  static final String SEGMENT_PATTERN = "^[A-Za-z0-9_.:-]{1,64}$";
  private static final int CODE_ATTEMPTS = 6;

  private final ParticipantRepository participants;
  private final ReferralProgramRepository programs;
  private final ReferralEvents events;
  private final Idempotency idempotency;
  private final Validator validator;

  /**
   * The user fields a request sets; null = not given. {@code referable} and {@code segments} are
   * server-only: only an API key may set them.
   */
  public record UserFields(
      @Email @Size(max = 254) String email,
      @Size(max = 100) String firstName,
      @Size(max = 100) String lastName,
      @Pattern(regexp = LOCALE_PATTERN) String locale,
      @Pattern(regexp = ReferralCodes.PATTERN) String referralCode,
      @Size(max = 2048) @Pattern(regexp = IMAGE_URL_PATTERN) String imageUrl,
      Boolean referable,
      @Size(max = 50) List<@Pattern(regexp = SEGMENT_PATTERN) String> segments) {

    public static final UserFields NONE =
        new UserFields(null, null, null, null, null, null, null, null);
  }

  /** A user as the partner (API key) or the user themselves (token) sees them. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UserView(
      String id,
      String accountId,
      String email,
      String firstName,
      String lastName,
      String locale,
      String referralCode,
      String imageUrl,
      boolean referable,
      List<String> segments,
      Instant createdAt,
      Instant updatedAt) {}

  /** What anyone may see of a user found by code: never email nor last name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PublicUser(
      String id,
      String accountId,
      String firstName,
      String lastInitial,
      String referralCode,
      String imageUrl) {}

  /** A referral code as anyone may look it up. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CodeInfo(String code, boolean valid, String referrerFirstName, Reward reward) {}

  public record Reward(long referrerPoints, long referredPoints, String conversionTrigger) {}

  public record Saved<T>(T value, boolean created) {}

  public ParticipantService(
      ParticipantRepository participants,
      ReferralProgramRepository programs,
      ReferralEvents events,
      Idempotency idempotency,
      Validator validator) {
    this.participants = participants;
    this.programs = programs;
    this.events = events;
    this.idempotency = idempotency;
    this.validator = validator;
  }

  /** Creates the user (409 when they exist); the view, with segments when {@code full}. */
  public Uni<UserView> create(
      String tenant,
      String accountId,
      String userId,
      UserFields fields,
      boolean full,
      String idempotencyScope,
      String idempotencyKey) {
    validate(fields);
    return Panache.withTransaction(
            () ->
                idempotency.execute(
                    idempotencyScope,
                    idempotencyKey,
                    List.of(accountId, userId, fields),
                    UserView.class,
                    () ->
                        participants
                            .findByUser(tenant, userId)
                            .chain(
                                existing -> {
                                  if (existing != null) {
                                    throw userExists();
                                  }
                                  return insertNew(tenant, accountId, userId, fields)
                                      .map(p -> view(p, full));
                                })))
        .onFailure(Failures::isUniqueViolation)
        .transform(e -> codeTaken());
  }

  /** Creates the user, or updates the fields given; {@code created} tells which. */
  public Uni<Saved<UserView>> upsert(
      String tenant, String accountId, String userId, UserFields fields, boolean full) {
    validate(fields);
    return Panache.withTransaction(
            () ->
                participants
                    .lockByUser(tenant, userId)
                    .chain(
                        existing -> {
                          if (existing != null) {
                            return update(existing, accountId, fields)
                                .map(p -> new Saved<>(view(p, full), false));
                          }
                          return insertNew(tenant, accountId, userId, fields)
                              .map(p -> new Saved<>(view(p, full), true))
                              // Created meanwhile by a concurrent request: update that one.
                              .onFailure(UserExists.class)
                              .recoverWithUni(
                                  () ->
                                      participants
                                          .lockByUser(tenant, userId)
                                          .chain(p -> update(p, accountId, fields))
                                          .map(p -> new Saved<>(view(p, full), false)));
                        }))
        .onFailure(Failures::isUniqueViolation)
        .transform(e -> codeTaken());
  }

  @WithSession
  public Uni<UserView> lookup(String tenant, String accountId, String userId, boolean full) {
    return participants
        .findByUser(tenant, userId)
        .map(
            p -> {
              if (p == null || !p.accountId.equals(accountId)) {
                throw ApiException.notFound("No such user.");
              }
              return view(p, full);
            });
  }

  @WithSession
  public Uni<PublicUser> publicByCode(String tenant, String code) {
    return byCode(tenant, code)
        .map(
            p ->
                new PublicUser(
                    p.userId,
                    p.accountId,
                    p.firstName,
                    p.lastInitial(),
                    p.referralCode,
                    p.imageUrl));
  }

  @WithSession
  public Uni<CodeInfo> codeInfo(String tenant, String code) {
    return byCode(tenant, code)
        .chain(
            p ->
                programs
                    .findById(tenant)
                    .map(
                        program ->
                            new CodeInfo(
                                p.referralCode,
                                program != null && program.enabled,
                                p.firstName,
                                program == null ? null : reward(program))));
  }

  static Reward reward(ReferralProgram program) {
    return new Reward(program.referrerPoints, program.referredPoints, program.conversionTrigger);
  }

  private Uni<Participant> byCode(String tenant, String code) {
    if (code == null || !code.matches(ReferralCodes.PATTERN)) {
      return Uni.createFrom().failure(ApiException.notFound("No such referral code."));
    }
    return participants
        .findByCode(tenant, ReferralCodes.canonical(code))
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("No such referral code."));
  }

  /**
   * Inserts a new participant with the requested code (409 when taken) or one made from the name,
   * and writes its created event. Fails with {@link UserExists} when the user exists already.
   */
  Uni<Participant> insertNew(String tenant, String accountId, String userId, UserFields fields) {
    Instant now = Instant.now();
    Participant p = new Participant();
    p.id = UUID.randomUUID();
    p.clientId = tenant;
    p.accountId = accountId;
    p.userId = userId;
    p.referable = true;
    p.segments = new String[0];
    p.createdAt = now;
    p.updatedAt = now;
    apply(p, fields);
    String requested = ReferralCodes.canonical(fields.referralCode());
    Uni<Participant> inserted =
        requested != null
            ? insertWithCode(p, requested, true)
            : participants
                .codesStartingWith(tenant, codeBase(p), 1000)
                .chain(taken -> insertGenerated(p, taken, 0));
    return inserted.call(events::participantCreated);
  }

  private static String codeBase(Participant p) {
    String base = ReferralCodes.base(p.firstName, p.lastName);
    return base.isEmpty() ? ReferralCodes.random() : base;
  }

  private Uni<Participant> insertGenerated(Participant p, List<String> taken, int attempt) {
    String base = codeBase(p);
    String code =
        attempt == 0 ? ReferralCodes.firstFree(base, taken) : ReferralCodes.withRandomDigits(base);
    return insertWithCode(p, code, false)
        .onFailure(CodeCollision.class)
        .recoverWithUni(
            () -> {
              if (attempt + 1 >= CODE_ATTEMPTS) {
                return Uni.createFrom()
                    .failure(new IllegalStateException("No free referral code found"));
              }
              return insertGenerated(p, taken, attempt + 1);
            });
  }

  /** Inserts with {@code code}; tells a taken user from a taken code when the insert is refused. */
  private Uni<Participant> insertWithCode(Participant p, String code, boolean requested) {
    p.referralCode = code;
    return participants
        .insertIfFree(p)
        .chain(
            inserted -> {
              if (inserted) {
                return Uni.createFrom().item(p);
              }
              return participants
                  .findByUser(p.clientId, p.userId)
                  .map(
                      existing -> {
                        if (existing != null) {
                          throw new UserExists();
                        }
                        if (requested) {
                          throw codeTaken();
                        }
                        throw new CodeCollision();
                      });
            });
  }

  private Uni<Participant> update(Participant p, String accountId, UserFields fields) {
    if (!p.accountId.equals(accountId)) {
      throw ApiException.conflict("USER_ACCOUNT_MISMATCH", "This user belongs to another account.");
    }
    String requested = ReferralCodes.canonical(fields.referralCode());
    Uni<Void> code =
        requested == null || requested.equals(p.referralCode)
            ? Uni.createFrom().voidItem()
            : participants
                .findByCode(p.clientId, requested)
                .invoke(
                    holder -> {
                      if (holder != null) {
                        throw codeTaken();
                      }
                      p.referralCode = requested;
                    })
                .replaceWithVoid();
    return code.map(
        ignored -> {
          apply(p, fields);
          p.updatedAt = Instant.now();
          return p;
        });
  }

  /** Sets the fields given; a blank string clears a field, an absent one leaves it. */
  private static void apply(Participant p, UserFields f) {
    if (f.email() != null) {
      p.email = blankToNull(f.email());
    }
    if (f.firstName() != null) {
      p.firstName = blankToNull(f.firstName());
    }
    if (f.lastName() != null) {
      p.lastName = blankToNull(f.lastName());
    }
    if (f.locale() != null) {
      p.locale = blankToNull(f.locale());
    }
    if (f.imageUrl() != null) {
      p.imageUrl = blankToNull(f.imageUrl());
    }
    if (f.referable() != null) {
      p.referable = f.referable();
    }
    if (f.segments() != null) {
      p.segments = f.segments().stream().distinct().toArray(String[]::new);
    }
  }

  /**
   * Fields from a token never went through the body's validation; all fields get the same rules.
   */
  private void validate(UserFields fields) {
    Set<ConstraintViolation<UserFields>> violations = validator.validate(fields);
    if (!violations.isEmpty()) {
      throw new ConstraintViolationException(violations);
    }
  }

  static UserView view(Participant p, boolean full) {
    return new UserView(
        p.userId,
        p.accountId,
        p.email,
        p.firstName,
        p.lastName,
        p.locale,
        p.referralCode,
        p.imageUrl,
        p.referable,
        full ? Arrays.asList(Objects.requireNonNullElse(p.segments, new String[0])) : null,
        p.createdAt,
        p.updatedAt);
  }

  private static String blankToNull(String value) {
    return value.isBlank() ? null : value.strip();
  }

  static ApiException codeTaken() {
    return ApiException.conflict(
        "REFERRAL_CODE_TAKEN", "This referral code belongs to another user.");
  }

  static ApiException userExists() {
    return ApiException.conflict("USER_EXISTS", "This user exists already.");
  }

  /** The user was created concurrently (insert refused on the user's key). */
  static final class UserExists extends ApiException {
    UserExists() {
      super(409, "USER_EXISTS", "This user exists already.");
    }
  }

  /** A generated code was taken between choosing and inserting it; another one is tried. */
  static final class CodeCollision extends RuntimeException {
    CodeCollision() {
      super("referral code collision", null, false, false);
    }
  }
}
