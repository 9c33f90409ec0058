package com.rewards.platform.security;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Set;
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
 * headers ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) are refused outright.
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
  private final JwtConsumer firstPass =
      new JwtConsumerBuilder()
          .setSkipAllValidators()
          .setDisableRequireSignature()
          .setSkipSignatureVerification()
          .build();

  public TokenVerifier(
      SigningKeys keys,
      RevocationCheck revocations,
      @ConfigProperty(name = "rewards.token.issuer") String issuer,
      @ConfigProperty(name = "rewards.token.audience") String audience,
      @ConfigProperty(name = "rewards.token.clock-skew-seconds", defaultValue = "30")
          int clockSkewSeconds) {
    this.keys = keys;
    this.revocations = revocations;
    this.issuer = issuer;
    this.audience = audience;
    this.clockSkewSeconds = clockSkewSeconds;
  }

  public Uni<Caller> verify(String token) {
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
                    : Uni.createFrom().item(() -> claims(token, alg, key.get())))
        .call(
            caller ->
                revocations
                    .isRevoked(caller)
                    .invoke(
                        revoked -> {
                          if (revoked) {
                            throw new InvalidTokenException("The token was revoked.");
                          }
                        }));
  }

  private Caller claims(String token, String alg, PublicKey key) {
    JwtConsumer consumer =
        new JwtConsumerBuilder()
            .setVerificationKey(key)
            .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg)
            .setExpectedIssuer(issuer)
            .setExpectedAudience(audience)
            .setRequireExpirationTime()
            .setRequireIssuedAt()
            .setRequireJwtId()
            .setRequireSubject()
            .setAllowedClockSkewInSeconds(clockSkewSeconds)
            .build();
    try {
      JwtClaims claims = consumer.processToClaims(token);
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
    } catch (InvalidJwtException e) {
      throw new InvalidTokenException(
          e.hasExpired() ? "The token has expired." : "The token is not valid.");
    } catch (MalformedClaimException e) {
      throw new InvalidTokenException("The token's claims are malformed.");
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
