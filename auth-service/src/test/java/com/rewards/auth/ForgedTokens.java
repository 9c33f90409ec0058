package com.rewards.auth;

import com.rewards.platform.security.SecretSealer;
import io.agroal.api.AgroalDataSource;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Mints tokens the way an attacker (or a buggy issuer) would, with the real active key read from
 * the database, so a test can change one thing at a time and see it refused.
 */
final class ForgedTokens {
  final String kid;
  final PrivateKey key;

  ForgedTokens(AgroalDataSource db, SecretSealer sealer) throws Exception {
    try (Connection c = db.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select kid, private_key from signing_keys where retired_at is null"
                        + " order by created_at desc limit 1")) {
      if (!rs.next()) {
        throw new IllegalStateException("No active signing key: issue a token first");
      }
      kid = rs.getString(1);
      key =
          KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(sealer.open(rs.getString(2))));
    }
  }

  /** Claims of a valid user token for {@code clientId}/{@code userId}. */
  static JwtClaims userClaims(String clientId, String userId) {
    JwtClaims claims = new JwtClaims();
    long now = Instant.now().getEpochSecond();
    claims.setIssuer("https://auth.rewards.local");
    claims.setAudience("rewards-api");
    claims.setSubject(clientId + "___" + userId);
    claims.setIssuedAt(NumericDate.fromSeconds(now + 1));
    claims.setExpirationTime(NumericDate.fromSeconds(now + 600));
    claims.setJwtId(UUID.randomUUID().toString());
    claims.setStringClaim("client_id", clientId);
    claims.setStringClaim("token_use", "user");
    claims.setStringClaim("user_id", userId);
    return claims;
  }

  String sign(JwtClaims claims) throws Exception {
    return sign(claims, jws -> {});
  }

  String sign(JwtClaims claims, Consumer<JsonWebSignature> tweak) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(key);
    jws.setKeyIdHeaderValue(kid);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    tweak.accept(jws);
    return jws.getCompactSerialization();
  }

  static String signedByStranger(JwtClaims claims, String kid) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(generator.generateKeyPair().getPrivate());
    jws.setKeyIdHeaderValue(kid);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    return jws.getCompactSerialization();
  }

  static String unsigned(Map<String, Object> header, JwtClaims claims) throws Exception {
    var encoder = java.util.Base64.getUrlEncoder().withoutPadding();
    String h =
        encoder.encodeToString(
            new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(header));
    String p =
        encoder.encodeToString(claims.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return h + "." + p + ".";
  }
}
