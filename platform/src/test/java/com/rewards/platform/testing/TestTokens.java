package com.rewards.platform.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Stands in for auth-service in other services' tests: serves a JWKS on loopback, points the
 * service at it, and mints user and server tokens exactly as auth does. Use with
 * {@code @QuarkusTestResource(TestTokens.class)}.
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {
  public static final String ISSUER = "https://auth.rewards.local";
  public static final String AUDIENCE = "rewards-api";
  private static final KeyPair KEYS = newKeyPair();
  private static final String KID = "test-" + UUID.randomUUID();
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(KEYS.getPublic());
      jwk.setKeyId(KID);
      jwk.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
      byte[] body =
          ("{\"keys\":[" + jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY) + "]}")
              .getBytes(StandardCharsets.UTF_8);
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/.well-known/jwks.json",
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return Map.of(
          "rewards.token.jwks-url",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json",
          "rewards.token.issuer",
          ISSUER,
          "rewards.token.audience",
          AUDIENCE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  public static String user(String clientId, String userId) {
    return sign(userClaims(clientId, userId));
  }

  public static String server(String clientId) {
    JwtClaims claims = base(clientId, clientId);
    claims.setStringClaim("token_use", "server");
    return sign(claims);
  }

  /** Claims of a valid user token, for tests that then break one of them. */
  public static JwtClaims userClaims(String clientId, String userId) {
    JwtClaims claims = base(clientId + "___" + userId, clientId);
    claims.setStringClaim("token_use", "user");
    claims.setStringClaim("user_id", userId);
    claims.setStringClaim("third_party_client_id", clientId);
    claims.setStringClaim("namespaced_third_party_user_id", clientId + "___" + userId);
    return claims;
  }

  public static String sign(JwtClaims claims) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(claims.toJson());
      jws.setKey(KEYS.getPrivate());
      jws.setKeyIdHeaderValue(KID);
      jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
      return jws.getCompactSerialization();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JwtClaims base(String subject, String clientId) {
    long now = Instant.now().getEpochSecond();
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER);
    claims.setAudience(AUDIENCE);
    claims.setSubject(subject);
    claims.setIssuedAt(NumericDate.fromSeconds(now));
    claims.setExpirationTime(NumericDate.fromSeconds(now + 3600));
    claims.setJwtId(UUID.randomUUID().toString());
    claims.setStringClaim("client_id", clientId);
    return claims;
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
