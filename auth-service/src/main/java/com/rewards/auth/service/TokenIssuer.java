package com.rewards.auth.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.rewards.platform.security.Caller;
import com.rewards.platform.security.TokenClaims;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/** Signs user and server tokens with the active key. */
@ApplicationScoped
public class TokenIssuer {
  private final SigningKeyService keys;
  private final String issuer;
  private final String audience;
  private final Duration userTtl;
  private final Duration serverTtl;

  public record IssuedToken(
      @JsonProperty("access_token") String token,
      @JsonProperty("token_type") String tokenType,
      @JsonProperty("expires_in") long expiresIn) {}

  public TokenIssuer(
      SigningKeyService keys,
      @ConfigProperty(name = "rewards.token.issuer") String issuer,
      @ConfigProperty(name = "rewards.token.audience") String audience,
      @ConfigProperty(name = "rewards.auth.user-token-ttl") Duration userTtl,
      @ConfigProperty(name = "rewards.auth.server-token-ttl") Duration serverTtl) {
    this.keys = keys;
    this.issuer = issuer;
    this.audience = audience;
    this.userTtl = userTtl;
    this.serverTtl = serverTtl;
  }

  /**
   * @param validAfter the user's last logout: the token's {@code iat} must be after it, even when
   *     issued in the same second, or the token would be born revoked
   */
  public Uni<IssuedToken> userToken(String clientId, String userId, Instant validAfter) {
    JwtClaims claims = base(Caller.namespaced(clientId, userId), clientId, validAfter, userTtl);
    claims.setStringClaim(TokenClaims.TOKEN_USE, TokenClaims.USE_USER);
    claims.setStringClaim(TokenClaims.USER_ID, userId);
    claims.setStringClaim(TokenClaims.THIRD_PARTY_CLIENT_ID, clientId);
    claims.setStringClaim(TokenClaims.NAMESPACED_USER_ID, Caller.namespaced(clientId, userId));
    return sign(claims, userTtl);
  }

  public Uni<IssuedToken> serverToken(String clientId, Instant notBefore) {
    JwtClaims claims = base(clientId, clientId, notBefore, serverTtl);
    claims.setStringClaim(TokenClaims.TOKEN_USE, TokenClaims.USE_SERVER);
    return sign(claims, serverTtl);
  }

  private JwtClaims base(String subject, String clientId, Instant revokedUpTo, Duration ttl) {
    long now = Instant.now().getEpochSecond();
    long issuedAt = revokedUpTo == null ? now : Math.max(now, revokedUpTo.getEpochSecond() + 1);
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer);
    claims.setAudience(audience);
    claims.setSubject(subject);
    claims.setIssuedAt(NumericDate.fromSeconds(issuedAt));
    claims.setExpirationTime(NumericDate.fromSeconds(issuedAt + ttl.toSeconds()));
    claims.setJwtId(UUID.randomUUID().toString());
    claims.setStringClaim(TokenClaims.CLIENT_ID, clientId);
    return claims;
  }

  private Uni<IssuedToken> sign(JwtClaims claims, Duration ttl) {
    return keys.activeKey()
        .map(
            key -> {
              JsonWebSignature jws = new JsonWebSignature();
              jws.setPayload(claims.toJson());
              jws.setKey(key.privateKey());
              jws.setKeyIdHeaderValue(key.kid());
              jws.setHeader("typ", "JWT");
              jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
              try {
                return new IssuedToken(jws.getCompactSerialization(), "Bearer", ttl.toSeconds());
              } catch (JoseException e) {
                throw new IllegalStateException("Cannot sign token", e);
              }
            });
  }
}
