package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.serverToken;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.auth.AuthFixtures.Partner;
import com.rewards.auth.LocalOidcProvider.Issuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProviderSignInTest {
  private static final String AUDIENCE = "app-client-123";
  private static LocalOidcProvider oidc;

  @BeforeAll
  static void startProvider() throws Exception {
    oidc = LocalOidcProvider.start();
  }

  @AfterAll
  static void stopProvider() {
    if (oidc != null) {
      oidc.close();
    }
  }

  /** A partner with one registered provider, and the issuer behind it. */
  record Setup(Partner partner, String serverToken, String name, Issuer issuer) {}

  private static Setup setUp(PublicJsonWebKey key) {
    Partner partner = newPartner();
    String server = serverToken(partner);
    Issuer issuer = oidc.newIssuer(key);
    String name = "p-" + UUID.randomUUID().toString().substring(0, 8);
    putProvider(server, name, settings(issuer.issuer(), issuer.jwksUrl(), AUDIENCE))
        .then()
        .statusCode(201)
        .body("name", equalTo(name))
        .body("jwksUrl", equalTo(issuer.jwksUrl()));
    return new Setup(partner, server, name, issuer);
  }

  private static Map<String, Object> settings(String issuer, String jwksUrl, String audience) {
    Map<String, Object> body = new HashMap<>();
    body.put("issuer", issuer);
    body.put("jwks_url", jwksUrl);
    body.put("audience", audience);
    return body;
  }

  private static Response putProvider(String token, String name, Map<String, Object> body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .put("/manage/v1/identity-providers/" + name);
  }

  private static Response signIn(String clientId, String provider, String idToken) {
    Map<String, Object> body = new HashMap<>();
    body.put("client_id", clientId);
    body.put("id_token", idToken);
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/users/providers/" + provider + "/signin");
  }

  private static Response signIn(Setup s, String idToken) {
    return signIn(s.partner().clientId(), s.name(), idToken);
  }

  private static JwtClaims claims(Setup s, String subject, Consumer<JwtClaims> change) {
    JwtClaims claims = s.issuer().claims(AUDIENCE, subject);
    change.accept(claims);
    return claims;
  }

  private static void assertRefused(Response response, String why) {
    assertEquals(401, response.statusCode(), why);
    response
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", equalTo("INVALID_ID_TOKEN"))
        // One answer for every reason: nothing tells a forger which check failed.
        .body("detail", equalTo("The ID token is not valid."));
  }

  @Test
  void firstSignInCreatesTheUserAndLaterOnesFindIt() {
    Setup s = setUp(LocalOidcProvider.rsaKey("rsa-1"));
    String token =
        s.issuer()
            .idToken(
                claims(
                    s,
                    "248289761001",
                    c -> {
                      c.setStringClaim("given_name", "Ada");
                      c.setStringClaim("family_name", "Lovelace");
                    }));
    String userId = s.name() + ":248289761001";
    signIn(s, token)
        .then()
        .statusCode(200)
        .body("user.id", equalTo(userId))
        .body("user.created", equalTo(true))
        .body("user.expires_in", equalTo(86400))
        .body("user.userToken", notNullValue());

    String userToken =
        signIn(s, s.issuer().idToken(claims(s, "248289761001", c -> {})))
            .then()
            .statusCode(200)
            .body("user.id", equalTo(userId))
            .body("user.created", equalTo(false))
            .extract()
            .path("user.userToken");

    given()
        .auth()
        .oauth2(userToken)
        .get("/api/users/isLogged")
        .then()
        .statusCode(200)
        .body("user.id", equalTo(userId))
        .body("user.first_name", equalTo("Ada"))
        .body("user.last_name", equalTo("Lovelace"))
        .body("user.email", equalTo(null));
  }

  @Test
  void es256TokensAndAudienceListsAreAccepted() {
    Setup s = setUp(LocalOidcProvider.ecKey("ec-1"));
    signIn(
            s,
            s.issuer()
                .idToken(
                    claims(s, "ec-subject", c -> c.setAudience("another-app", AUDIENCE, "third"))))
        .then()
        .statusCode(200)
        .body("user.id", equalTo(s.name() + ":ec-subject"))
        .body("user.created", equalTo(true));
  }

  /** A token issued ten minutes ago that expired {@code seconds} ago. */
  private static Consumer<JwtClaims> expiredSecondsAgo(long seconds) {
    long now = NumericDate.now().getValue();
    return c -> {
      c.setIssuedAt(NumericDate.fromSeconds(now - 600));
      c.setExpirationTime(NumericDate.fromSeconds(now - seconds));
    };
  }

  @Test
  void expiryIsHonouredWithThirtySecondsOfSkew() {
    Setup s = setUp(LocalOidcProvider.rsaKey("rsa-1"));
    signIn(s, s.issuer().idToken(claims(s, "skew", expiredSecondsAgo(10)))).then().statusCode(200);
    assertRefused(
        signIn(s, s.issuer().idToken(claims(s, "skew", expiredSecondsAgo(120)))), "expired");
  }

  @Test
  void tokensThatDoNotVerifyAreRefused() throws Exception {
    Setup s = setUp(LocalOidcProvider.rsaKey("rsa-1"));
    PublicJsonWebKey real = s.issuer().key();
    PublicJsonWebKey attacker = LocalOidcProvider.rsaKey("rsa-1");
    String kid = real.getKeyId();
    String rs256 = AlgorithmIdentifiers.RSA_USING_SHA256;

    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("wrong audience", s.issuer().idToken(claims(s, "x", c -> c.setAudience("other"))));
    forged.put(
        "wrong issuer",
        s.issuer().idToken(claims(s, "x", c -> c.setIssuer("https://accounts.example.com"))));
    forged.put("expired", s.issuer().idToken(claims(s, "x", expiredSecondsAgo(120))));
    forged.put("no exp", s.issuer().idToken(claims(s, "x", c -> c.unsetClaim("exp"))));
    forged.put("no sub", s.issuer().idToken(claims(s, "x", c -> c.unsetClaim("sub"))));
    forged.put("sub breaking the namespaced id", s.issuer().idToken(claims(s, "a___b", c -> {})));
    forged.put("alg none", LocalOidcProvider.sign(claims(s, "x", c -> {}), null, "none", kid));
    forged.put(
        "HS256 keyed with the public key",
        LocalOidcProvider.sign(
            claims(s, "x", c -> {}),
            new HmacKey(real.getPublicKey().getEncoded()),
            AlgorithmIdentifiers.HMAC_SHA256,
            kid));
    forged.put(
        "HS256 keyed with the published JWK",
        LocalOidcProvider.sign(
            claims(s, "x", c -> {}),
            new HmacKey(real.toJson().getBytes(StandardCharsets.UTF_8)),
            AlgorithmIdentifiers.HMAC_SHA256,
            kid));
    forged.put(
        "RS384, not accepted",
        LocalOidcProvider.sign(
            claims(s, "x", c -> {}),
            real.getPrivateKey(),
            AlgorithmIdentifiers.RSA_USING_SHA384,
            kid));
    forged.put(
        "unknown kid",
        LocalOidcProvider.sign(claims(s, "x", c -> {}), real.getPrivateKey(), rs256, "nope"));
    forged.put(
        "no kid",
        LocalOidcProvider.sign(claims(s, "x", c -> {}), real.getPrivateKey(), rs256, null));
    forged.put(
        "signed by another key",
        LocalOidcProvider.sign(claims(s, "x", c -> {}), attacker.getPrivateKey(), rs256, kid));
    forged.put(
        "jwk header",
        LocalOidcProvider.sign(
            claims(s, "x", c -> {}),
            attacker.getPrivateKey(),
            rs256,
            kid,
            jws -> jws.setJwkHeader(attacker)));
    forged.put(
        "jku header",
        LocalOidcProvider.sign(
            claims(s, "x", c -> {}),
            real.getPrivateKey(),
            rs256,
            kid,
            jws -> jws.setHeader("jku", s.issuer().jwksUrl())));
    forged.put(
        "x5c header of the wrong type",
        LocalOidcProvider.sign(
            claims(s, "x", c -> {}),
            real.getPrivateKey(),
            rs256,
            kid,
            jws -> jws.setHeader("x5c", 1)));
    forged.put(
        "kid of the wrong type",
        LocalOidcProvider.sign(
            claims(s, "x", c -> {}),
            real.getPrivateKey(),
            rs256,
            null,
            jws -> jws.setHeader("kid", 7)));
    forged.put("not a JWT", "not-a-token");
    forged.put("tampered payload", tamper(s.issuer().idToken(claims(s, "x", c -> {}))));

    for (Map.Entry<String, String> token : forged.entrySet()) {
      assertRefused(signIn(s, token.getValue()), token.getKey());
    }
    // The control: the same issuer's honest token still works.
    signIn(s, s.issuer().idToken(claims(s, "x", c -> {}))).then().statusCode(200);
  }

  /** Swaps the payload for another subject's, keeping the original signature. */
  private static String tamper(String token) {
    String[] parts = token.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"sub\":\"x\"", "\"sub\":\"admin\"");
    return parts[0]
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  @Test
  void unknownClientUnknownProviderAndBadBodies() {
    Setup s = setUp(LocalOidcProvider.rsaKey("rsa-1"));
    String token = s.issuer().idToken(claims(s, "x", c -> {}));

    signIn("no-such-client", s.name(), token)
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", equalTo("INVALID_CLIENT"));
    signIn(s.partner().clientId(), "no-such-provider", token)
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
    signIn(s.partner().clientId(), s.name().toUpperCase(), token)
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));

    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", s.partner().clientId()))
        .post("/api/users/providers/" + s.name() + "/signin")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("BAD_REQUEST"))
        .body("errors[0].field", equalTo("idToken"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("id_token", token))
        .post("/api/users/providers/" + s.name() + "/signin")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("clientId"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"client_id\": ")
        .post("/api/users/providers/" + s.name() + "/signin")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
    given()
        .contentType(ContentType.JSON)
        .post("/api/users/providers/" + s.name() + "/signin")
        .then()
        .statusCode(400);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", s.partner().clientId(), "id_token", "x".repeat(16_385)))
        .post("/api/users/providers/" + s.name() + "/signin")
        .then()
        .statusCode(400);

    String url = s.issuer().jwksUrl();
    List<Map<String, Object>> badSettings = new ArrayList<>();
    badSettings.add(settings("ftp://issuer.example", url, AUDIENCE));
    badSettings.add(settings("https://issuer.example", "not a url", AUDIENCE));
    badSettings.add(settings("https://issuer.example", "https://:443/jwks", AUDIENCE));
    badSettings.add(settings("https://" + "a".repeat(1990) + ".example", url, AUDIENCE));
    badSettings.add(settings("https://issuer.example", null, AUDIENCE));
    badSettings.add(settings("https://issuer.example", url, " "));
    badSettings.add(settings("https://issuer.example", url, "a".repeat(201)));
    for (Map<String, Object> body : badSettings) {
      putProvider(s.serverToken(), "valid-name", body)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", equalTo("BAD_REQUEST"));
    }
    for (String name : new String[] {"Upper", "a", "x".repeat(33), "under_score"}) {
      putProvider(s.serverToken(), name, settings("https://issuer.example", url, AUDIENCE))
          .then()
          .statusCode(400)
          .body("code", equalTo("BAD_REQUEST"));
    }
  }

  @Test
  void partnersOnlyEverSeeAndChangeTheirOwnProviders() {
    Setup a = setUp(LocalOidcProvider.rsaKey("rsa-a"));
    Partner partnerB = newPartner();
    String serverB = serverToken(partnerB);
    String path = "/manage/v1/identity-providers/" + a.name();

    putProvider(
            a.serverToken(), a.name(), settings(a.issuer().issuer(), a.issuer().jwksUrl(), "v2"))
        .then()
        .statusCode(200)
        .body("audience", equalTo("v2"));
    putProvider(
            a.serverToken(),
            a.name(),
            settings(a.issuer().issuer(), a.issuer().jwksUrl(), AUDIENCE))
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(a.serverToken())
        .get("/manage/v1/identity-providers")
        .then()
        .statusCode(200)
        .body("identityProviders.name", hasItem(a.name()));

    given()
        .auth()
        .oauth2(serverB)
        .get("/manage/v1/identity-providers")
        .then()
        .statusCode(200)
        .body("identityProviders", empty());
    given()
        .auth()
        .oauth2(serverB)
        .get(path)
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
    given()
        .auth()
        .oauth2(serverB)
        .delete(path)
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));

    // B registering the same name gets its own row; A's is untouched.
    Issuer issuerB = oidc.newIssuer(LocalOidcProvider.rsaKey("rsa-b"));
    putProvider(serverB, a.name(), settings(issuerB.issuer(), issuerB.jwksUrl(), AUDIENCE))
        .then()
        .statusCode(201);
    given()
        .auth()
        .oauth2(a.serverToken())
        .get(path)
        .then()
        .statusCode(200)
        .body("issuer", equalTo(a.issuer().issuer()));
    // B's issuer cannot sign users into A, even under the same provider name.
    assertRefused(
        signIn(a, issuerB.idToken(issuerB.claims(AUDIENCE, "someone"))), "B's token at A");

    String userOfA = userToken(a.partner(), AuthFixtures.newUserId());
    given().auth().oauth2(userOfA).get("/manage/v1/identity-providers").then().statusCode(403);
    given().auth().oauth2(userOfA).get(path).then().statusCode(403);
    given()
        .auth()
        .oauth2(userOfA)
        .delete(path)
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    putProvider(userOfA, a.name(), settings(a.issuer().issuer(), a.issuer().jwksUrl(), "evil"))
        .then()
        .statusCode(403);
    given().get("/manage/v1/identity-providers").then().statusCode(401);

    given().auth().oauth2(a.serverToken()).delete(path).then().statusCode(204);
    given().auth().oauth2(a.serverToken()).get(path).then().statusCode(404);
    given()
        .auth()
        .oauth2(a.serverToken())
        .delete(path)
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
    given()
        .auth()
        .oauth2(a.serverToken())
        .get("/manage/v1/identity-providers")
        .then()
        .body("identityProviders.name", not(hasItem(a.name())));
    signIn(a, a.issuer().idToken(claims(a, "x", c -> {})))
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
    given().auth().oauth2(serverB).get(path).then().statusCode(200);
  }

  @Test
  void racingFirstSignInsEndWithOneUser() throws Exception {
    Setup s = setUp(LocalOidcProvider.rsaKey("rsa-1"));
    signIn(s, s.issuer().idToken(claims(s, "warm-up", c -> {}))).then().statusCode(200);
    int racers = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<Response>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        String token = s.issuer().idToken(claims(s, "racer", c -> {}));
        Callable<Response> call =
            () -> {
              start.await();
              return signIn(s, token);
            };
        results.add(pool.submit(call));
      }
      start.countDown();
      int created = 0;
      for (Future<Response> result : results) {
        Response response = result.get();
        response.then().statusCode(200).body("user.id", equalTo(s.name() + ":racer"));
        Boolean wasCreated = response.path("user.created");
        if (Boolean.TRUE.equals(wasCreated)) {
          created++;
        }
      }
      assertEquals(1, created, "exactly one sign-in created the user");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysAreCachedAndARotationIsPickedUpAtMostEveryTenSeconds() {
    Setup s = setUp(LocalOidcProvider.rsaKey("rsa-1"));
    signIn(s, s.issuer().idToken(claims(s, "rotating", c -> {}))).then().statusCode(200);
    signIn(s, s.issuer().idToken(claims(s, "rotating", c -> {}))).then().statusCode(200);
    assertEquals(1, s.issuer().fetches(), "the JWKS is cached");

    PublicJsonWebKey real = s.issuer().key();
    for (int i = 0; i < 5; i++) {
      assertRefused(
          signIn(
              s,
              LocalOidcProvider.sign(
                  claims(s, "rotating", c -> {}),
                  real.getPrivateKey(),
                  AlgorithmIdentifiers.RSA_USING_SHA256,
                  "forged-" + i)),
          "unknown kid");
    }
    assertEquals(1, s.issuer().fetches(), "unknown kids do not refetch within ten seconds");

    PublicJsonWebKey next = LocalOidcProvider.rsaKey("rsa-2");
    s.issuer().publish(next);
    String rotated = s.issuer().signWith(next, claims(s, "rotating", c -> {}));
    Awaitility.await()
        .atMost(Duration.ofSeconds(25))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> signIn(s, rotated).statusCode() == 200);
    assertEquals(2, s.issuer().fetches(), "one refetch picked up the new key");
    signIn(s, s.issuer().idToken(claims(s, "rotating", c -> {})))
        .then()
        .statusCode(200)
        .body("user.created", equalTo(false));
  }
}
