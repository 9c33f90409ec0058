package com.rewards.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

/**
 * Verifies the platform's own tokens: asymmetric signature by a known {@code kid}, issuer,
 * audience, expiry, the claims the platform relies on, and revocation. Only RS256 and ES256 are
 * accepted, which shuts out {@code alg: none} and HS256 signed with a public key; key-carrying
 * headers ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) are refused outright. A token that
 * passed all of that is remembered until it expires, so its signature is checked once, not on every
 * request; revocation is still checked on every request.
 */
@ApplicationScoped
public class TokenVerifier {
  private static final Set<String> ALGORITHMS =
      Set.of(
          AlgorithmIdentifiers.RSA_USING_SHA256,
          AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
  private static final Set<String> FORBIDDEN_HEADERS = Set.of("jku", "x5u", "jwk", "x5c");

  private final SigningKeys keys;
  private final RevocationCheck revocations;
  private final String issuer;
  private final String audience;
  private final int clockSkewSeconds;
  private final Duration maxCacheAge;
  private final JwtConsumer firstPass =
      new JwtConsumerBuilder()
          .setSkipAllValidators()
          .setDisableRequireSignature()
          .setSkipSignatureVerification()
          .build();

  /**
   * Tokens whose signature and claims were verified, by the SHA-256 of the token (so the cache
   * holds no bearer token). An ES256 verification costs about 300 µs of CPU and a token comes with
   * every call for up to a day, so this is most of a request's CPU otherwise. Only successes are
   * stored; each entry lives until the token would expire and never longer than {@code
   * maxCacheAge}. Revocation is not cached: it is checked on every request.
   */
  private final Cache<String, Verified> verified;

  /** One built consumer per verification key and algorithm, rather than one per request. */
  private final Cache<ConsumerKey, JwtConsumer> consumers =
      Caffeine.newBuilder().maximumSize(64).build();

  private final AtomicLong signatureChecks = new AtomicLong();

  private record Verified(Caller caller, String kid, PublicKey key, long validUntilMillis) {}

  private record ConsumerKey(PublicKey key, String alg) {}

  public TokenVerifier(
      SigningKeys keys,
      RevocationCheck revocations,
      @ConfigProperty(name = "rewards.token.issuer") String issuer,
      @ConfigProperty(name = "rewards.token.audience") String audience,
      @ConfigProperty(name = "rewards.token.clock-skew-seconds", defaultValue = "30")
          int clockSkewSeconds,
      @ConfigProperty(name = "rewards.token.cache-size", defaultValue = "20000") long cacheSize,
      @ConfigProperty(name = "rewards.token.cache-max-age", defaultValue = "PT5M")
          Duration maxCacheAge) {
    this.keys = keys;
    this.revocations = revocations;
    this.issuer = issuer;
    this.audience = audience;
    this.clockSkewSeconds = clockSkewSeconds;
    this.maxCacheAge = maxCacheAge;
    this.verified =
        Caffeine.newBuilder()
            .maximumSize(cacheSize)
            .expireAfter(
                new Expiry<String, Verified>() {
                  @Override
                  public long expireAfterCreate(String digest, Verified v, long currentTime) {
                    return lifetimeNanos(v);
                  }

                  @Override
                  public long expireAfterUpdate(
                      String digest, Verified v, long currentTime, long currentDuration) {
                    return lifetimeNanos(v);
                  }

                  @Override
                  public long expireAfterRead(
                      String digest, Verified v, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  public Uni<Caller> verify(String token) {
    String digest = digest(token);
    Verified hit = verified.getIfPresent(digest);
    Uni<Caller> caller =
        hit != null && System.currentTimeMillis() < hit.validUntilMillis()
            ? fromCache(digest, token, hit)
            : verifyFully(digest, token);
    return caller.call(
        c ->
            revocations
                .isRevoked(c)
                .invoke(
                    revoked -> {
                      if (revoked) {
                        throw new InvalidTokenException("The token was revoked.");
                      }
                    }));
  }

  /**
   * The key that verified the cached token must still be the one its kid resolves to: a key that
   * left the verifying set (auth forgets retired keys after their window) sends the token back
   * through full verification. Both key sources answer this from memory.
   */
  private Uni<Caller> fromCache(String digest, String token, Verified hit) {
    return keys.find(hit.kid())
        .chain(
            key -> {
              if (key.isPresent() && key.get().equals(hit.key())) {
                return Uni.createFrom().item(hit.caller());
              }
              verified.invalidate(digest);
              return verifyFully(digest, token);
            });
  }

  private Uni<Caller> verifyFully(String digest, String token) {
    JsonWebStructure header;
    try {
      JwtContext context = firstPass.process(token);
      if (context.getJoseObjects().size() != 1) {
        return invalid("Nested tokens are not accepted.");
      }
      header = context.getJoseObjects().get(0);
    } catch (InvalidJwtException e) {
      return invalid("The token is malformed.");
    }
    // Header values are read as objects: a forged header may hold a number, array or object where
    // a string belongs, and that must be a 401, not a ClassCastException.
    var headers = header.getHeaders();
    if (!(headers.getObjectHeaderValue("alg") instanceof String alg) || !ALGORITHMS.contains(alg)) {
      return invalid("The token's algorithm is not accepted.");
    }
    for (String name : FORBIDDEN_HEADERS) {
      if (headers.getObjectHeaderValue(name) != null) {
        return invalid("The token carries a key header that is not accepted.");
      }
    }
    if (!(headers.getObjectHeaderValue("kid") instanceof String kid)) {
      return invalid("The token has no key id.");
    }
    return keys.find(kid)
        .chain(
            key ->
                key.isEmpty()
                    ? invalid("The token's key is unknown.")
                    : Uni.createFrom().item(() -> claims(digest, token, alg, kid, key.get())));
  }

  /** How many tokens went through a full signature check; for tests of the cache. */
  long signatureChecks() {
    return signatureChecks.get();
  }

  private long lifetimeNanos(Verified v) {
    long untilExpiry = v.validUntilMillis() - System.currentTimeMillis();
    return Math.max(0, Math.min(TimeUnit.MILLISECONDS.toNanos(untilExpiry), maxCacheAge.toNanos()));
  }

  private JwtConsumer consumer(PublicKey key, String alg) {
    return consumers.get(
        new ConsumerKey(key, alg),
        k ->
            new JwtConsumerBuilder()
                .setVerificationKey(k.key())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, k.alg())
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .build());
  }

  private Caller claims(String digest, String token, String alg, String kid, PublicKey key) {
    try {
      signatureChecks.incrementAndGet();
      JwtClaims claims = consumer(key, alg).processToClaims(token);
      Caller caller = caller(claims);
      // jose4j accepts the token until exp + skew; the cache must not accept it any longer.
      long validUntil = (claims.getExpirationTime().getValue() + clockSkewSeconds) * 1000L;
      verified.put(digest, new Verified(caller, kid, key, validUntil));
      return caller;
    } catch (InvalidJwtException e) {
      throw new InvalidTokenException(
          e.hasExpired() ? "The token has expired." : "The token is not valid.");
    } catch (MalformedClaimException e) {
      throw new InvalidTokenException("The token's claims are malformed.");
    }
  }

  private static Caller caller(JwtClaims claims) throws MalformedClaimException {
    String use = claims.getStringClaimValue(TokenClaims.TOKEN_USE);
    String clientId = claims.getStringClaimValue(TokenClaims.CLIENT_ID);
    if (clientId == null || clientId.isBlank()) {
      throw new InvalidTokenException("The token names no partner.");
    }
    Instant issuedAt = Instant.ofEpochSecond(claims.getIssuedAt().getValue());
    if (TokenClaims.USE_USER.equals(use)) {
      String userId = claims.getStringClaimValue(TokenClaims.USER_ID);
      if (userId == null || userId.isBlank()) {
        throw new InvalidTokenException("The token names no user.");
      }
      return new Caller(Caller.Kind.USER, clientId, userId, claims.getJwtId(), issuedAt);
    }
    if (TokenClaims.USE_SERVER.equals(use)) {
      return new Caller(Caller.Kind.SERVER, clientId, null, claims.getJwtId(), issuedAt);
    }
    throw new InvalidTokenException("The token's use is unknown.");
  }

  private static String digest(String token) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  private static <T> Uni<T> invalid(String reason) {
    return Uni.createFrom().failure(new InvalidTokenException(reason));
  }

  /** Why a token was refused; the message is safe to show. */
  public static class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
      super(message, null, false, false);
    }
  }
}
