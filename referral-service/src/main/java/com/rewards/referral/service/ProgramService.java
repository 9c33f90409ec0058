package com.rewards.referral.service;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.security.SecretSealer;
import com.rewards.referral.domain.ApiKey;
import com.rewards.referral.domain.ApiKeyRepository;
import com.rewards.referral.domain.ApiKeySecrets;
import com.rewards.referral.domain.ClientJwtKeys;
import com.rewards.referral.domain.ReferralProgram;
import com.rewards.referral.domain.ReferralProgramRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A partner's program settings and its document-001 credentials: API keys (the plain key is shown
 * once and never stored) and the secret or public key that signs its client JWTs.
 */
@ApplicationScoped
public class ProgramService {
  static final String TRIGGER_PATTERN = "^(points_earned|payment|manual)$";
  static final long MAX_GRACE_SECONDS = Duration.ofDays(7).toSeconds();

  private final ReferralProgramRepository programs;
  private final ApiKeyRepository apiKeys;
  private final SecretSealer sealer;

  /** PUT body of the program; absent optional settings take their defaults. */
  public record ProgramSettings(
      Boolean enabled,
      @JsonAlias("referrer_points") @NotNull @Min(0) @Max(1_000_000_000) Long referrerPoints,
      @JsonAlias("referred_points") @NotNull @Min(0) @Max(1_000_000_000) Long referredPoints,
      @JsonAlias("conversion_trigger") @Pattern(regexp = TRIGGER_PATTERN) String conversionTrigger,
      @JsonAlias("velocity_limit_per_day") @Min(1) @Max(100_000) Integer velocityLimitPerDay,
      @JsonAlias("flag_hourly_threshold") @Min(0) @Max(100_000) Integer flagHourlyThreshold,
      @JsonAlias("require_exp") Boolean requireExp) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ProgramView(
      String clientId,
      boolean enabled,
      long referrerPoints,
      long referredPoints,
      String conversionTrigger,
      Integer velocityLimitPerDay,
      Integer flagHourlyThreshold,
      boolean requireExp,
      ClientKeyView clientJwtKey,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * Registers or rotates the client-JWT key: {@code secret} for HS256 (generated when absent and
   * then shown once), {@code publicKeyPem} for RS256/ES256. The replaced key keeps verifying for
   * {@code previousKeyGraceSeconds} (default 0: at once invalid).
   */
  public record ClientKeyRequest(
      @NotBlank @Pattern(regexp = "^(HS256|RS256|ES256)$") String algorithm,
      @Size(max = 512) String secret,
      @JsonAlias("public_key_pem") @Size(max = 4096) String publicKeyPem,
      @JsonAlias("previous_key_grace_seconds") @Min(0) Long previousKeyGraceSeconds) {}

  /** The registered key, never its secret. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientKeyView(
      String algorithm,
      String publicKeyPem,
      Instant rotatedAt,
      String previousAlgorithm,
      Instant previousValidUntil) {}

  /** The answer to a registration: the view, and a generated HS256 secret this once. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientKeyRegistered(
      String algorithm,
      String publicKeyPem,
      Instant rotatedAt,
      String previousAlgorithm,
      Instant previousValidUntil,
      String secret) {}

  public record ApiKeyRequest(@Size(max = 100) String name) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApiKeyView(
      String id, String name, String prefix, Instant createdAt, Instant revokedAt) {}

  /** A new key: {@code key} is the only time the plain key is ever shown. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApiKeyCreated(
      String id, String name, String prefix, String key, Instant createdAt) {}

  public ProgramService(
      ReferralProgramRepository programs, ApiKeyRepository apiKeys, SecretSealer sealer) {
    this.programs = programs;
    this.apiKeys = apiKeys;
    this.sealer = sealer;
  }

  @WithSession
  public Uni<ProgramView> program(String clientId) {
    return programs
        .findById(clientId)
        .map(p -> view(p != null ? p : ReferralProgram.defaults(clientId, null)));
  }

  @WithTransaction
  public Uni<ProgramView> putProgram(String clientId, ProgramSettings s) {
    return programs
        .lockOrCreate(clientId)
        .map(
            p -> {
              p.enabled = s.enabled() == null || s.enabled();
              p.referrerPoints = s.referrerPoints();
              p.referredPoints = s.referredPoints();
              p.conversionTrigger =
                  s.conversionTrigger() == null
                      ? ReferralProgram.TRIGGER_POINTS_EARNED
                      : s.conversionTrigger();
              p.velocityLimitPerDay =
                  s.velocityLimitPerDay() == null
                      ? ReferralProgram.DEFAULT_VELOCITY_LIMIT
                      : s.velocityLimitPerDay();
              p.flagHourlyThreshold =
                  s.flagHourlyThreshold() == null
                      ? Integer.valueOf(ReferralProgram.DEFAULT_FLAG_HOURLY_THRESHOLD)
                      : s.flagHourlyThreshold() == 0 ? null : s.flagHourlyThreshold();
              p.requireExp = s.requireExp() != null && s.requireExp();
              p.updatedAt = Instant.now();
              return view(p);
            });
  }

  @WithSession
  public Uni<ClientKeyView> clientKey(String clientId) {
    return programs
        .findById(clientId)
        .map(
            p -> {
              if (p == null || p.jwtAlgorithm == null) {
                throw ApiException.notFound("No client-JWT key is registered.");
              }
              return keyView(p);
            });
  }

  @WithTransaction
  public Uni<ClientKeyRegistered> registerClientKey(String clientId, ClientKeyRequest request) {
    String algorithm = request.algorithm();
    String generated = null;
    String sealed = null;
    String pem = null;
    if (ClientJwtKeys.HS256.equals(algorithm)) {
      if (request.publicKeyPem() != null) {
        throw ApiException.badRequest("HS256 takes a secret, not a public key.");
      }
      String secret = request.secret();
      if (secret == null) {
        generated = ClientJwtKeys.generateSecret();
        secret = generated;
      }
      ClientJwtKeys.checkSecret(secret);
      sealed = sealer.seal(ClientJwtKeys.secretBytes(secret));
    } else {
      if (request.secret() != null || request.publicKeyPem() == null) {
        throw ApiException.badRequest(algorithm + " takes publicKeyPem, not a secret.");
      }
      ClientJwtKeys.parsePublicKey(algorithm, request.publicKeyPem());
      pem = request.publicKeyPem().strip();
    }
    long grace = request.previousKeyGraceSeconds() == null ? 0 : request.previousKeyGraceSeconds();
    if (grace > MAX_GRACE_SECONDS) {
      throw ApiException.badRequest("previousKeyGraceSeconds is at most 7 days.");
    }
    String secretShown = generated;
    String newSealed = sealed;
    String newPem = pem;
    Uni<Void> notAnApiKey =
        request.secret() == null
            ? Uni.createFrom().voidItem()
            // A client secret equal to an API key would let a token "signed with the API key" pass.
            : apiKeys
                .countActiveWithHash(clientId, ApiKeySecrets.hash(request.secret()))
                .invoke(
                    n -> {
                      if (n > 0) {
                        throw ApiException.badRequest(
                            "The client-JWT secret must not be one of the API keys.");
                      }
                    })
                .replaceWithVoid();
    return notAnApiKey
        .chain(() -> programs.lockOrCreate(clientId))
        .map(
            p -> {
              Instant now = Instant.now();
              if (p.jwtAlgorithm != null && grace > 0) {
                p.jwtPreviousAlgorithm = p.jwtAlgorithm;
                p.jwtPreviousSecretSealed = p.jwtSecretSealed;
                p.jwtPreviousPublicKeyPem = p.jwtPublicKeyPem;
                p.jwtPreviousValidUntil = now.plusSeconds(grace);
              } else {
                p.jwtPreviousAlgorithm = null;
                p.jwtPreviousSecretSealed = null;
                p.jwtPreviousPublicKeyPem = null;
                p.jwtPreviousValidUntil = null;
              }
              p.jwtAlgorithm = algorithm;
              p.jwtSecretSealed = newSealed;
              p.jwtPublicKeyPem = newPem;
              p.jwtRotatedAt = now;
              p.updatedAt = now;
              ClientKeyView v = keyView(p);
              return new ClientKeyRegistered(
                  v.algorithm(),
                  v.publicKeyPem(),
                  v.rotatedAt(),
                  v.previousAlgorithm(),
                  v.previousValidUntil(),
                  secretShown);
            });
  }

  @WithTransaction
  public Uni<ApiKeyCreated> createApiKey(String clientId, String name) {
    String key = ApiKeySecrets.generate();
    ApiKey k = new ApiKey();
    k.id = UUID.randomUUID();
    k.clientId = clientId;
    k.keyHash = ApiKeySecrets.hash(key);
    k.prefix = ApiKeySecrets.prefix(key);
    k.name = name == null || name.isBlank() ? null : name.strip();
    k.createdAt = Instant.now();
    return programs
        .lockOrCreate(clientId)
        .chain(() -> apiKeys.persist(k))
        .map(saved -> new ApiKeyCreated(k.id.toString(), k.name, k.prefix, key, k.createdAt));
  }

  @WithSession
  public Uni<List<ApiKeyView>> apiKeys(String clientId) {
    return apiKeys
        .listFor(clientId)
        .map(list -> list.stream().map(ProgramService::keyView).toList());
  }

  /** Revokes at once (idempotent: a revoked key stays revoked at its first time). */
  @WithTransaction
  public Uni<ApiKeyView> revokeApiKey(String clientId, UUID id) {
    return apiKeys
        .findOwned(clientId, id)
        .map(
            k -> {
              if (k == null) {
                throw ApiException.notFound("No such API key.");
              }
              if (k.revokedAt == null) {
                k.revokedAt = Instant.now();
              }
              return keyView(k);
            });
  }

  static ProgramView view(ReferralProgram p) {
    return new ProgramView(
        p.clientId,
        p.enabled,
        p.referrerPoints,
        p.referredPoints,
        p.conversionTrigger,
        p.velocityLimitPerDay,
        p.flagHourlyThreshold,
        p.requireExp,
        p.jwtAlgorithm == null ? null : keyView(p),
        p.createdAt,
        p.updatedAt);
  }

  static ClientKeyView keyView(ReferralProgram p) {
    boolean previous =
        p.jwtPreviousValidUntil != null && Instant.now().isBefore(p.jwtPreviousValidUntil);
    return new ClientKeyView(
        p.jwtAlgorithm,
        p.jwtPublicKeyPem,
        p.jwtRotatedAt,
        previous ? p.jwtPreviousAlgorithm : null,
        previous ? p.jwtPreviousValidUntil : null);
  }

  static ApiKeyView keyView(ApiKey k) {
    return new ApiKeyView(k.id.toString(), k.name, k.prefix, k.createdAt, k.revokedAt);
  }
}
