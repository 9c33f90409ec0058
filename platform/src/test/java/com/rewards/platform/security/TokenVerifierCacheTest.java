package com.rewards.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.mutiny.Uni;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache: it saves the signature check of a token seen before, and nothing else.
 * Revocation, expiry, tampering and key removal still refuse the token. Real ES256 keys and jose4j;
 * the key set and the revocation list are in-memory stand-ins for the two interfaces.
 */
class TokenVerifierCacheTest {
  private static final String ISSUER = "https://auth.test";
  private static final String AUDIENCE = "rewards-api";
  private static final int SKEW = 30;

  private final KeyPair keyPair = newKeyPair();
  private final String kid = "k-" + UUID.randomUUID();
  private final Map<String, PublicKey> jwks = new ConcurrentHashMap<>();
  private final Map<String, Instant> revokedUpTo = new ConcurrentHashMap<>();
  private TokenVerifier verifier;

  @BeforeEach
  void setUp() {
    jwks.put(kid, keyPair.getPublic());
    SigningKeys keys = k -> Uni.createFrom().item(Optional.ofNullable(jwks.get(k)));
    RevocationCheck revocations =
        caller -> {
          Instant upTo = revokedUpTo.get(caller.clientId() + "/" + caller.userId());
          return Uni.createFrom()
              .item(upTo != null && caller.issuedAt().getEpochSecond() <= upTo.getEpochSecond());
        };
    verifier =
        new TokenVerifier(keys, revocations, ISSUER, AUDIENCE, SKEW, 1000, Duration.ofMinutes(5));
  }

  @Test
  void aTokenSeenBeforeIsNotCheckedAgain() {
    String token = token("c1", "u1", 3600);
    assertEquals("u1", verify(token).userId());
    assertEquals("u1", verify(token).userId());
    assertEquals("u1", verify(token).userId());
    assertEquals(1, verifier.signatureChecks());
  }

  @Test
  void aCachedTokenIsRefusedOnceRevoked() {
    String token = token("c1", "u2", 3600);
    verify(token);
    revokedUpTo.put("c1/u2", Instant.now());
    var e = assertThrows(TokenVerifier.InvalidTokenException.class, () -> verify(token));
    assertEquals("The token was revoked.", e.getMessage());
    // Still from the cache: what refused it was the revocation, checked on every request.
    assertEquals(1, verifier.signatureChecks());
  }

  @Test
  void aCachedTokenIsRefusedOnceExpired() throws Exception {
    // Accepted for about two more seconds: exp is just inside the allowed clock skew.
    String token = token("c1", "u3", -SKEW + 2);
    verify(token);
    verify(token);
    assertEquals(1, verifier.signatureChecks());
    Thread.sleep(3_000);
    var e = assertThrows(TokenVerifier.InvalidTokenException.class, () -> verify(token));
    assertEquals("The token has expired.", e.getMessage());
  }

  @Test
  void aTamperedSignatureIsNeverTakenFromTheCache() {
    String token = token("c1", "u4", 3600);
    verify(token);
    int dot = token.lastIndexOf('.');
    char last = token.charAt(dot + 1);
    String tampered =
        token.substring(0, dot + 1) + (last == 'A' ? 'B' : 'A') + token.substring(dot + 2);

    var e = assertThrows(TokenVerifier.InvalidTokenException.class, () -> verify(tampered));
    assertEquals("The token is not valid.", e.getMessage());
    // The failure is not remembered as anything: refused again, after a second full check.
    assertThrows(TokenVerifier.InvalidTokenException.class, () -> verify(tampered));
    assertEquals(3, verifier.signatureChecks());
    assertEquals("u4", verify(token).userId());
    assertEquals(3, verifier.signatureChecks());
  }

  @Test
  void aTamperedPayloadWithTheOriginalSignatureIsRefused() {
    String token = token("c1", "u5", 3600);
    verify(token);
    String other = token("c1", "someone-else", 3600);
    String[] mine = token.split("\\.");
    String[] theirs = other.split("\\.");
    String spliced = mine[0] + "." + theirs[1] + "." + mine[2];
    assertThrows(TokenVerifier.InvalidTokenException.class, () -> verify(spliced));
  }

  @Test
  void aTokenWhoseKeyLeftTheKeySetIsRefusedEvenIfCached() {
    String token = token("c1", "u6", 3600);
    verify(token);
    jwks.remove(kid);
    var e = assertThrows(TokenVerifier.InvalidTokenException.class, () -> verify(token));
    assertEquals("The token's key is unknown.", e.getMessage());
  }

  private Caller verify(String token) {
    return verifier.verify(token).await().atMost(Duration.ofSeconds(5));
  }

  private String token(String clientId, String userId, long expiresInSeconds) {
    try {
      long now = Instant.now().getEpochSecond();
      JwtClaims claims = new JwtClaims();
      claims.setIssuer(ISSUER);
      claims.setAudience(AUDIENCE);
      claims.setSubject(clientId + "___" + userId);
      // Issued a minute ago, so that even the nearly expired token has iat before exp.
      claims.setIssuedAt(NumericDate.fromSeconds(now - 60));
      claims.setExpirationTime(NumericDate.fromSeconds(now + expiresInSeconds));
      claims.setJwtId(UUID.randomUUID().toString());
      claims.setStringClaim(TokenClaims.CLIENT_ID, clientId);
      claims.setStringClaim(TokenClaims.TOKEN_USE, TokenClaims.USE_USER);
      claims.setStringClaim(TokenClaims.USER_ID, userId);
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(claims.toJson());
      jws.setKey(keyPair.getPrivate());
      jws.setKeyIdHeaderValue(kid);
      jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
      return jws.getCompactSerialization();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
