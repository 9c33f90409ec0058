package com.rewards.suite;

import static com.rewards.suite.Fixtures.open;
import static com.rewards.suite.Fixtures.server;
import static com.rewards.suite.Net.bearer;
import static com.rewards.suite.Net.gw;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 7: forged and altered tokens are 401 on every service, through the gateway. One
 * token-protected route per service and token kind (user, server), and document 003's {@code
 * user-jwt-token} header beside Bearer. Each attack keeps everything else valid, and a control
 * token forged the same way but with every claim valid must pass, so each 401 is the service
 * refusing that one defect, not a broken forgery.
 */
class JwtAttacksTest {
  @RegisterExtension final Figures figures = new Figures();

  /** A protected route: who calls it (user or server token) and how the token travels. */
  record Route(String service, String kind, String path, String header) {}

  private static List<Route> routes(String userId) {
    return List.of(
        new Route("auth-service", "user", "/api/users/isLogged", "Authorization"),
        new Route(
            "auth-service", "user", "/fe/users/account/linked-mobile-number", "user-jwt-token"),
        new Route("loyalty-service", "user", "/user/historyearns", "Authorization"),
        new Route("payment-service", "user", "/api/users/payment/charges", "Authorization"),
        new Route(
            "analytics-service", "user", "/fe/analytics/participation/history", "Authorization"),
        new Route(
            "analytics-service", "user", "/fe/analytics/participation/history", "user-jwt-token"),
        new Route("auth-service", "server", "/manage/v1/partner", "Authorization"),
        new Route("loyalty-service", "server", "/user/infos", "Authorization"),
        new Route("referral-service", "server", "/manage/v1/referral/program", "Authorization"),
        new Route(
            "payment-service",
            "server",
            "/manage/v1/payments/users/" + userId + "/charges",
            "Authorization"),
        new Route(
            "analytics-service", "server", "/manage/v1/analytics/participation", "Authorization"));
  }

  private static int call(Route route, String token) {
    String value = route.header().equals("Authorization") ? "Bearer " + token : token;
    return gw().header(route.header(), value).get(route.path()).statusCode();
  }

  @Test
  void forgedAndAlteredPlatformTokensAre401OnEveryService() throws Exception {
    figures.item(
        "7", "forged/altered user and server tokens, 5 services, Bearer and user-jwt-token");
    Partner p = Fixtures.partner();
    String userId = Suite.unique("jwt");
    String userToken = Fixtures.userToken(p, userId);
    Map<String, String> real = Map.of("user", userToken, "server", p.serverToken());
    String realKid = Jwt.headerOf(userToken).get("kid").asText();
    JsonNode jwk = jwk(realKid);
    PublicKey authPublic = ecPublicKey(jwk);
    KeyPair attacker = Jwt.ecKeyPair();
    String attackerKid = UUID.randomUUID().toString();
    Jwt.SigningKey auth = Jwt.authSigningKey();

    // Attacks that need no key of auth's: the signature itself is the defect.
    Map<String, Function<String, String>> attacks = new LinkedHashMap<>();
    attacks.put("alg none", kind -> Jwt.unsigned(header("none", realKid), fresh(real, kind)));
    attacks.put("alg NONE", kind -> Jwt.unsigned(header("NONE", realKid), fresh(real, kind)));
    attacks.put(
        "alg none, real signature kept",
        kind -> {
          String[] parts = real.get(kind).split("\\.");
          return Jwt.b64(header("none", realKid).toString()) + "." + parts[1] + "." + parts[2];
        });
    attacks.put(
        "HS256 keyed with the public JWK",
        kind ->
            Jwt.hs256(
                header("HS256", realKid),
                fresh(real, kind),
                jwk.toString().getBytes(StandardCharsets.UTF_8)));
    attacks.put(
        "HS256 keyed with the public key (DER)",
        kind -> Jwt.hs256(header("HS256", realKid), fresh(real, kind), authPublic.getEncoded()));
    attacks.put(
        "HS256 keyed with the public key (PEM)",
        kind ->
            Jwt.hs256(
                header("HS256", realKid),
                fresh(real, kind),
                Jwt.pem(authPublic).getBytes(StandardCharsets.US_ASCII)));
    attacks.put(
        "unknown kid",
        kind -> Jwt.signed(header("ES256", attackerKid), fresh(real, kind), attacker.getPrivate()));
    attacks.put(
        "real kid, attacker's key",
        kind -> Jwt.signed(header("ES256", realKid), fresh(real, kind), attacker.getPrivate()));
    attacks.put(
        "jku to the attacker's JWKS",
        kind ->
            Jwt.signed(
                header("ES256", attackerKid).put("jku", "http://127.0.0.1:9/jwks.json"),
                fresh(real, kind),
                attacker.getPrivate()));
    attacks.put(
        "x5u to the attacker's certificate",
        kind ->
            Jwt.signed(
                header("ES256", attackerKid).put("x5u", "http://127.0.0.1:9/cert.pem"),
                fresh(real, kind),
                attacker.getPrivate()));
    attacks.put(
        "embedded jwk of the attacker",
        kind -> {
          ObjectNode h = header("ES256", attackerKid);
          h.set("jwk", publicJwk((ECPublicKey) attacker.getPublic(), attackerKid));
          return Jwt.signed(h, fresh(real, kind), attacker.getPrivate());
        });
    attacks.put("not a JWT", kind -> "not-a-token");

    // Attacks with a valid signature by auth's own key: the claims are the defect.
    Map<String, Function<String, String>> claimAttacks = new LinkedHashMap<>();
    if (auth != null) {
      long now = System.currentTimeMillis() / 1000;
      claimAttacks.put(
          "expired an hour ago", kind -> sign(auth, fresh(real, kind).put("exp", now - 3600)));
      claimAttacks.put(
          "expired 61 s ago", kind -> sign(auth, fresh(real, kind).put("exp", now - 61)));
      claimAttacks.put("no exp", kind -> sign(auth, without(fresh(real, kind), "exp")));
      claimAttacks.put(
          "nbf an hour ahead", kind -> sign(auth, fresh(real, kind).put("nbf", now + 3600)));
      claimAttacks.put(
          "nbf 61 s ahead", kind -> sign(auth, fresh(real, kind).put("nbf", now + 61)));
      claimAttacks.put(
          "wrong iss", kind -> sign(auth, fresh(real, kind).put("iss", "https://evil.example")));
      claimAttacks.put("wrong aud", kind -> sign(auth, fresh(real, kind).put("aud", "other-api")));
      claimAttacks.put(
          "jku with auth's valid signature",
          kind ->
              Jwt.signed(
                  header("ES256", auth.kid()).put("jku", "http://127.0.0.1:9/jwks.json"),
                  fresh(real, kind),
                  auth.privateKey()));
      claimAttacks.put(
          "x5u with auth's valid signature",
          kind ->
              Jwt.signed(
                  header("ES256", auth.kid()).put("x5u", "http://127.0.0.1:9/cert.pem"),
                  fresh(real, kind),
                  auth.privateKey()));
    }

    List<String> accepted = new ArrayList<>();
    List<Route> routes = routes(userId);
    for (Route route : routes) {
      // Controls: the real token, and (with auth's key) one forged with every claim valid.
      int control = call(route, real.get(route.kind()));
      assertTrue(control != 401 && control != 403, route + " refuses the real token: " + control);
      if (auth != null) {
        int forged = call(route, sign(auth, fresh(real, route.kind())));
        assertEquals(control, forged, route + ": a well-forged token must pass like the real one");
      }
      figures.succeeded();
      for (var attack : attacks.entrySet()) {
        check(route, attack.getKey(), attack.getValue().apply(route.kind()), accepted);
      }
      for (var attack : claimAttacks.entrySet()) {
        check(route, attack.getKey(), attack.getValue().apply(route.kind()), accepted);
      }
    }
    assertTrue(accepted.isEmpty(), "accepted attacks: " + accepted);
    Assumptions.assumeTrue(
        auth != null,
        "auth-service's signing key could not be read (not the local dev suite?): the claim"
            + " attacks (expired, nbf, iss, aud) did not run");
  }

  private void check(Route route, String attack, String token, List<String> accepted) {
    int status = call(route, token);
    if (status == 401) {
      figures.refused(401);
    } else {
      figures.refused(String.valueOf(status));
      figures.lost(1);
      accepted.add(
          route.service()
              + " "
              + route.path()
              + " ["
              + route.header()
              + "] "
              + attack
              + " -> "
              + status);
    }
  }

  @Test
  void aLoggedOutUsersTokenIs401OnEveryService() {
    figures.item("7", "logged-out user's token on every service");
    Partner p = Fixtures.partner();
    String userId = Suite.unique("out");
    String token = Fixtures.userToken(p, userId);
    List<Route> userRoutes = routes(userId).stream().filter(r -> r.kind().equals("user")).toList();
    for (Route route : userRoutes) {
      int status = call(route, token);
      assertTrue(status != 401 && status != 403, route + " before logout: " + status);
      figures.succeeded();
    }
    bearer(token).post("/user/logout").then().statusCode(200);
    figures.succeeded();
    // auth records the not-before at once; the other services learn it from UserLoggedOut.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (Route route : userRoutes) {
                assertEquals(401, call(route, token), route + " after logout");
              }
            });
    userRoutes.forEach(r -> figures.refused(401));
  }

  @Test
  void referralClientJwtsSignedWrongOrExpiredAre401() {
    figures.item("7", "referral client JWTs (HS256 and RS256 partners)");
    long now = System.currentTimeMillis() / 1000;
    List<String> accepted = new ArrayList<>();

    // An HS256 partner that requires exp.
    Partner hs = Fixtures.partner();
    String hsKey = Fixtures.referralProgramAndKey(hs);
    Fixtures.referralProgram(
        hs,
        "{\"referrerPoints\":100,\"referredPoints\":50,\"conversionTrigger\":\"manual\","
            + "\"enabled\":true,\"requireExp\":true}");
    String secret = Fixtures.clientJwtSecret(hs, "hs-secret");
    String account = "acc-" + UUID.randomUUID().toString().substring(0, 8);
    String user = Suite.unique("cj");
    Fixtures.participant(hs, hsKey, account, user);
    String hsPath = open(hs, "account/" + account + "/user/" + user);
    ObjectNode hsHeader = Jwt.object().put("alg", "HS256").put("typ", "JWT");
    byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);

    assertEquals(
        200,
        bearer(Jwt.hs256(hsHeader, clientClaims(user, account).put("exp", now + 300), secretBytes))
            .get(hsPath)
            .statusCode(),
        "control: a token signed with the registered secret");
    figures.succeeded();
    Map<String, String> hsAttacks = new LinkedHashMap<>();
    hsAttacks.put(
        "wrong secret",
        Jwt.hs256(
            hsHeader,
            clientClaims(user, account).put("exp", now + 300),
            ("not-the-secret-" + UUID.randomUUID() + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8)));
    hsAttacks.put(
        "signed with the API key",
        Jwt.hs256(
            hsHeader,
            clientClaims(user, account).put("exp", now + 300),
            hsKey.getBytes(StandardCharsets.UTF_8)));
    hsAttacks.put(
        "alg none",
        Jwt.unsigned(
            Jwt.object().put("alg", "none"), clientClaims(user, account).put("exp", now + 300)));
    hsAttacks.put(
        "no exp although required", Jwt.hs256(hsHeader, clientClaims(user, account), secretBytes));
    hsAttacks.put(
        "expired an hour ago",
        Jwt.hs256(hsHeader, clientClaims(user, account).put("exp", now - 3600), secretBytes));
    hsAttacks.put(
        "expired 61 s ago",
        Jwt.hs256(hsHeader, clientClaims(user, account).put("exp", now - 61), secretBytes));
    hsAttacks.put(
        "jku header, right secret",
        Jwt.hs256(
            hsHeader.deepCopy().put("jku", "http://127.0.0.1:9/jwks.json"),
            clientClaims(user, account).put("exp", now + 300),
            secretBytes));
    hsAttacks.put("a platform user token", Fixtures.userToken(hs, user));
    for (var attack : hsAttacks.entrySet()) {
      checkOpen(hsPath, "HS256 partner: " + attack.getKey(), attack.getValue(), accepted);
    }

    // An RS256 partner (exp optional): its public key registered, its private key signs.
    Partner rs = Fixtures.partner();
    String rsKey = Fixtures.referralProgramAndKey(rs);
    KeyPair pair = Jwt.rsaKeyPair();
    String pem = Jwt.pem(pair.getPublic());
    server(rs)
        .body(Jwt.object().put("algorithm", "RS256").put("publicKeyPem", pem).toString())
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(200);
    Fixtures.participant(rs, rsKey, account, user);
    String rsPath = open(rs, "account/" + account + "/user/" + user);
    ObjectNode rsHeader = Jwt.object().put("alg", "RS256").put("typ", "JWT");
    assertEquals(
        200,
        bearer(Jwt.signed(rsHeader, clientClaims(user, account), pair.getPrivate()))
            .get(rsPath)
            .statusCode(),
        "control: RS256 with the registered key, no exp (not required by this partner)");
    figures.succeeded();
    Map<String, String> rsAttacks = new LinkedHashMap<>();
    rsAttacks.put(
        "HS256 keyed with the registered public key (PEM)",
        Jwt.hs256(hsHeader, clientClaims(user, account), pem.getBytes(StandardCharsets.US_ASCII)));
    rsAttacks.put(
        "HS256 keyed with the registered public key (DER)",
        Jwt.hs256(hsHeader, clientClaims(user, account), pair.getPublic().getEncoded()));
    rsAttacks.put(
        "RS256 with another private key",
        Jwt.signed(rsHeader, clientClaims(user, account), Jwt.rsaKeyPair().getPrivate()));
    rsAttacks.put(
        "alg none", Jwt.unsigned(Jwt.object().put("alg", "none"), clientClaims(user, account)));
    rsAttacks.put(
        "expired an hour ago (exp present is honoured)",
        Jwt.signed(
            rsHeader, clientClaims(user, account).put("exp", now - 3600), pair.getPrivate()));
    rsAttacks.put(
        "nbf an hour ahead",
        Jwt.signed(
            rsHeader, clientClaims(user, account).put("nbf", now + 3600), pair.getPrivate()));
    rsAttacks.put(
        "another partner's HS256 secret",
        Jwt.hs256(hsHeader, clientClaims(user, account).put("exp", now + 300), secretBytes));
    for (var attack : rsAttacks.entrySet()) {
      checkOpen(rsPath, "RS256 partner: " + attack.getKey(), attack.getValue(), accepted);
    }
    assertTrue(accepted.isEmpty(), "accepted client-JWT attacks: " + accepted);
  }

  private void checkOpen(String path, String attack, String token, List<String> accepted) {
    int status = bearer(token).get(path).statusCode();
    if (status == 401) {
      figures.refused(401);
    } else {
      figures.refused(String.valueOf(status));
      figures.lost(1);
      accepted.add(attack + " -> " + status);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static ObjectNode clientClaims(String user, String account) {
    ObjectNode claims = Jwt.object();
    claims.putObject("user").put("id", user).put("accountId", account);
    return claims;
  }

  private static ObjectNode header(String alg, String kid) {
    return Jwt.object().put("alg", alg).put("typ", "JWT").put("kid", kid);
  }

  /** The real token's claims with a new jti and a fresh validity window. */
  private static ObjectNode fresh(Map<String, String> real, String kind) {
    long now = System.currentTimeMillis() / 1000;
    return Jwt.claimsOf(real.get(kind))
        .put("jti", UUID.randomUUID().toString())
        .put("iat", now)
        .put("exp", now + 600);
  }

  private static ObjectNode without(ObjectNode claims, String name) {
    claims.remove(name);
    return claims;
  }

  private static String sign(Jwt.SigningKey key, ObjectNode claims) {
    return Jwt.signed(header("ES256", key.kid()), claims, key.privateKey());
  }

  private static JsonNode jwk(String kid) throws Exception {
    JsonNode jwks = Jwt.JSON.readTree(gw().get("/.well-known/jwks.json").asString());
    for (JsonNode key : jwks.get("keys")) {
      if (kid.equals(key.path("kid").asText())) {
        return key;
      }
    }
    throw new AssertionError("kid " + kid + " not in the JWKS");
  }

  private static PublicKey ecPublicKey(JsonNode jwk) throws Exception {
    assertNotNull(jwk.get("x"), "an EC key: " + jwk);
    var params = ((ECPublicKey) Jwt.ecKeyPair().getPublic()).getParams();
    ECPoint w =
        new ECPoint(
            new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("x").asText())),
            new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("y").asText())));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
  }

  private static ObjectNode publicJwk(ECPublicKey key, String kid) {
    return Jwt.object()
        .put("kty", "EC")
        .put("crv", "P-256")
        .put("kid", kid)
        .put("x", coordinate(key.getW().getAffineX()))
        .put("y", coordinate(key.getW().getAffineY()));
  }

  private static String coordinate(BigInteger n) {
    byte[] raw = n.toByteArray();
    byte[] fixed = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }
}
