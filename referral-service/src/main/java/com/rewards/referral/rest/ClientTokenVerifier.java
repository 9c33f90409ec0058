package com.rewards.referral.rest;

import com.rewards.platform.security.SecretSealer;
import com.rewards.referral.domain.ClientJwtKeys;
import com.rewards.referral.domain.PartnerCredentials;
import com.rewards.referral.domain.PartnerCredentials.ClientJwtSettings;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.Key;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.HmacKey;

/**
 * Verifies document 001's client JWTs: signed by the partner named in the path, with the one key
 * and algorithm it registered (so an HS256 token "signed" with a public key, {@code alg: none}, the
 * API key or another partner's secret all fail), {@code exp} honoured when present and required
 * when the partner says so. During a rotation's grace period the previous key verifies too.
 */
@ApplicationScoped
public class ClientTokenVerifier {
  private static final Set<String> FORBIDDEN_HEADERS = Set.of("jku", "x5u", "jwk", "x5c");
  static final Set<String> SERVER_ONLY_FIELDS = Set.of("referable", "segments");
  private static final int MAX_FIELD_LENGTH = 2048;

  private final PartnerCredentials credentials;
  private final SecretSealer sealer;
  private final int clockSkewSeconds;
  private final JwtConsumer firstPass =
      new JwtConsumerBuilder()
          .setSkipAllValidators()
          .setDisableRequireSignature()
          .setSkipSignatureVerification()
          .build();

  public ClientTokenVerifier(
      PartnerCredentials credentials,
      SecretSealer sealer,
      @ConfigProperty(name = "rewards.referral.client-jwt-clock-skew-seconds", defaultValue = "30")
          int clockSkewSeconds) {
    this.credentials = credentials;
    this.sealer = sealer;
    this.clockSkewSeconds = clockSkewSeconds;
  }

  public Uni<TokenUser> verify(String tenant, String token) {
    return credentials
        .clientJwt(tenant)
        .map(
            settings -> {
              if (settings == null || settings.algorithm() == null) {
                throw new InvalidClientTokenException("The partner accepts no client tokens.");
              }
              return verify(settings, token);
            });
  }

  private TokenUser verify(ClientJwtSettings settings, String token) {
    checkHeader(token);
    List<Candidate> candidates = new ArrayList<>(2);
    candidates.add(
        new Candidate(settings.algorithm(), settings.secretSealed(), settings.publicKeyPem()));
    if (settings.previousAlgorithm() != null
        && settings.previousValidUntil() != null
        && Instant.now().isBefore(settings.previousValidUntil())) {
      candidates.add(
          new Candidate(
              settings.previousAlgorithm(),
              settings.previousSecretSealed(),
              settings.previousPublicKeyPem()));
    }
    InvalidJwtException first = null;
    for (Candidate candidate : candidates) {
      try {
        return user(consumer(candidate, settings.requireExp()).processToClaims(token));
      } catch (InvalidJwtException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    throw new InvalidClientTokenException(
        first != null && first.hasExpired()
            ? "The token has expired."
            : "The token is not valid for this partner.");
  }

  /** Refuses nested or encrypted tokens and key-carrying headers before any key is used. */
  private void checkHeader(String token) {
    try {
      JwtContext context = firstPass.process(token);
      if (context.getJoseObjects().size() != 1) {
        throw new InvalidClientTokenException("Nested tokens are not accepted.");
      }
      JsonWebStructure header = context.getJoseObjects().get(0);
      for (String name : FORBIDDEN_HEADERS) {
        if (header.getHeaders().getObjectHeaderValue(name) != null) {
          throw new InvalidClientTokenException("The token carries a key header.");
        }
      }
    } catch (InvalidJwtException e) {
      throw new InvalidClientTokenException("The token is malformed.");
    }
  }

  private JwtConsumer consumer(Candidate candidate, boolean requireExp) {
    JwtConsumerBuilder builder =
        new JwtConsumerBuilder()
            .setVerificationKey(key(candidate))
            .setJwsAlgorithmConstraints(
                AlgorithmConstraints.ConstraintType.PERMIT, candidate.algorithm())
            // Partners may put any aud; document 001 defines none to check.
            .setSkipDefaultAudienceValidation()
            .setAllowedClockSkewInSeconds(clockSkewSeconds);
    if (requireExp) {
      builder.setRequireExpirationTime();
    }
    return builder.build();
  }

  private Key key(Candidate candidate) {
    if (ClientJwtKeys.HS256.equals(candidate.algorithm())) {
      return new HmacKey(sealer.open(candidate.secretSealed()));
    }
    return ClientJwtKeys.parsePublicKey(candidate.algorithm(), candidate.publicKeyPem());
  }

  private static TokenUser user(JwtClaims claims) {
    if (!(claims.getClaimValue("user") instanceof Map<?, ?> user)) {
      throw new InvalidClientTokenException("The token names no user.");
    }
    String id = text(user, "id");
    String accountId = text(user, "accountId");
    if (id == null || id.isBlank() || accountId == null || accountId.isBlank()) {
      throw new InvalidClientTokenException("The token's user needs id and accountId.");
    }
    boolean serverOnly = SERVER_ONLY_FIELDS.stream().anyMatch(user::containsKey);
    return new TokenUser(
        id,
        accountId,
        text(user, "email"),
        text(user, "firstName"),
        text(user, "lastName"),
        text(user, "locale"),
        text(user, "referralCode"),
        text(user, "imageUrl"),
        serverOnly);
  }

  /** A string field; ids may come as numbers. Anything else makes the token malformed. */
  private static String text(Map<?, ?> user, String name) {
    Object value = user.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof String s && s.length() <= MAX_FIELD_LENGTH) {
      return s;
    }
    if (value instanceof Number n && ("id".equals(name) || "accountId".equals(name))) {
      return n.toString();
    }
    throw new InvalidClientTokenException("The token's user field " + name + " is malformed.");
  }

  private record Candidate(String algorithm, String secretSealed, String publicKeyPem) {}

  /** Why a client token was refused; the message is safe to show. */
  public static class InvalidClientTokenException extends RuntimeException {
    public InvalidClientTokenException(String message) {
      super(message, null, false, false);
    }
  }
}
