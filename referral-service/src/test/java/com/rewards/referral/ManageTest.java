package com.rewards.referral;

import static com.rewards.referral.ReferralFixtures.fields;
import static com.rewards.referral.ReferralFixtures.newId;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.platform.testing.TestTokens;
import com.rewards.referral.ReferralFixtures.Partner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * /manage/v1/referral: a platform server token or the partner's API key; API keys shown once and
 * revocable, the client-JWT key registered and rotated, the reward settings.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ManageTest {

  @Test
  void managementTakesAServerTokenOrTheApiKeyOnly() {
    Partner p = ReferralFixtures.partner();
    given()
        .get("/manage/v1/referral/program")
        .then()
        .statusCode(401)
        .body("code", equalTo("UNAUTHORIZED"))
        // Advocate members belong to /api/v1 only.
        .body("$", not(hasKey("apiErrorCode")));
    given()
        .auth()
        .oauth2(TestTokens.user(p.id(), "someone"))
        .get("/manage/v1/referral/program")
        .then()
        .statusCode(403);
    // A client JWT is for the open endpoints.
    given()
        .auth()
        .oauth2(p.read("acc", "someone"))
        .get("/manage/v1/referral/program")
        .then()
        .statusCode(401);
    p.server()
        .get("/manage/v1/referral/program")
        .then()
        .statusCode(200)
        .body("client_id", equalTo(p.id()))
        .body("referrer_points", equalTo(100))
        .body("client_jwt_key.algorithm", equalTo("HS256"))
        .body("client_jwt_key", not(hasKey("secret")));
    p.withKey().get("/manage/v1/referral/program").then().statusCode(200);
    given()
        .header("Authorization", ReferralFixtures.basic("rk_nope"))
        .get("/manage/v1/referral/program")
        .then()
        .statusCode(401);
  }

  @Test
  void apiKeysAreShownOnceListedWithoutSecretsAndRevoked() {
    Partner p = ReferralFixtures.partner();
    var created =
        p.withKey()
            .contentType(ContentType.JSON)
            .body(Map.of("name", "backend"))
            .post("/manage/v1/referral/api-keys")
            .then()
            .statusCode(201)
            .body("key", startsWith("rk_"))
            .body("name", equalTo("backend"))
            .extract();
    String key = created.path("key");
    String id = created.path("id");
    String listing =
        p.server()
            .get("/manage/v1/referral/api-keys")
            .then()
            .statusCode(200)
            .body("api_keys", hasSize(2))
            .body("api_keys[1].id", equalTo(id))
            .body("api_keys[1].prefix", equalTo(key.substring(0, 11)))
            .body("api_keys[1]", not(hasKey("key")))
            .body("api_keys[1]", not(hasKey("key_hash")))
            .extract()
            .asString();
    assertFalse(listing.contains(key));

    String user = newId("u");
    given()
        .header("Authorization", ReferralFixtures.basic(key))
        .contentType(ContentType.JSON)
        .body(fields("firstName", "Kim"))
        .post(p.path("account/acc/user/" + user))
        .then()
        .statusCode(201);
    // Another partner cannot revoke it.
    ReferralFixtures.partner()
        .server()
        .delete("/manage/v1/referral/api-keys/" + id)
        .then()
        .statusCode(404);
    p.server()
        .delete("/manage/v1/referral/api-keys/" + id)
        .then()
        .statusCode(200)
        .body("revoked_at", notNullValue());
    given()
        .header("Authorization", ReferralFixtures.basic(key))
        .get(p.path("account/acc/user/" + user))
        .then()
        .statusCode(401);
    // The other key still works.
    p.withKey().get(p.path("account/acc/user/" + user)).then().statusCode(200);
  }

  @Test
  void theClientJwtKeyIsRotatedWithAnOptionalGracePeriod() {
    Partner p = ReferralFixtures.partner();
    String user = newId("u");
    p.user("acc", user, "Rob", "Rotate", null);
    String path = p.path("account/acc/user/" + user);
    Instant exp = Instant.now().plusSeconds(600);
    String oldToken = p.read("acc", user);
    p.withToken(oldToken).get(path).then().statusCode(200);

    // A generated secret is shown once; the old one stops at once (no grace).
    String secret2 =
        p.server()
            .body(Map.of("algorithm", "HS256"))
            .put("/manage/v1/referral/client-jwt-key")
            .then()
            .statusCode(200)
            .body("secret", notNullValue())
            .body("previous_valid_until", nullValue())
            .extract()
            .path("secret");
    p.withToken(oldToken).get(path).then().statusCode(401);
    String token2 = ReferralFixtures.hs256(secret2, "acc", user, Map.of(), exp);
    p.withToken(token2).get(path).then().statusCode(200);
    p.server()
        .get("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(200)
        .body("algorithm", equalTo("HS256"))
        .body("$", not(hasKey("secret")));

    // With a grace period both the new and the previous key verify.
    String secret3 = "third-secret-" + UUID.randomUUID() + UUID.randomUUID();
    p.server()
        .body(Map.of("algorithm", "HS256", "secret", secret3, "previousKeyGraceSeconds", 3600))
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(200)
        .body("secret", nullValue())
        .body("previous_algorithm", equalTo("HS256"))
        .body("previous_valid_until", notNullValue());
    p.withToken(token2).get(path).then().statusCode(200);
    p.withToken(ReferralFixtures.hs256(secret3, "acc", user, Map.of(), exp))
        .get(path)
        .then()
        .statusCode(200);
  }

  @Test
  void badKeyMaterialIsRefused() throws Exception {
    Partner p = ReferralFixtures.partner();
    p.server()
        .body(Map.of("algorithm", "HS256", "secret", "too-short"))
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(400);
    // The API key must not double as the client-JWT secret.
    p.server()
        .body(Map.of("algorithm", "HS256", "secret", p.apiKey()))
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(400);
    var rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String rsaPem = ReferralFixtures.pem(rsa.generateKeyPair().getPublic());
    p.server()
        .body(Map.of("algorithm", "ES256", "publicKeyPem", rsaPem))
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(400);
    p.server()
        .body(Map.of("algorithm", "RS256", "publicKeyPem", rsaPem))
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(200)
        .body("algorithm", equalTo("RS256"));
    p.server()
        .body(Map.of("algorithm", "RS256", "publicKeyPem", "-----BEGIN PUBLIC KEY-----\nAAAA"))
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(400);
    p.server()
        .body(Map.of("algorithm", "none"))
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(400);
  }

  @Test
  void rewardSettingsAreValidated() {
    Partner p = ReferralFixtures.partner();
    p.server()
        .body(fields("referrerPoints", 10, "referredPoints", 5, "conversionTrigger", "sometimes"))
        .put("/manage/v1/referral/program")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
    p.server()
        .body(fields("referrerPoints", -1, "referredPoints", 5))
        .put("/manage/v1/referral/program")
        .then()
        .statusCode(400);
    p.server()
        .body(
            fields(
                "referrer_points", 500,
                "referred_points", 250,
                "conversion_trigger", "payment",
                "velocity_limit_per_day", 3))
        .put("/manage/v1/referral/program")
        .then()
        .statusCode(200)
        .body("referrer_points", equalTo(500))
        .body("conversion_trigger", equalTo("payment"))
        .body("velocity_limit_per_day", equalTo(3))
        .body("flag_hourly_threshold", equalTo(5))
        .body("enabled", equalTo(true));
    // A partner that never configured anything sees the defaults.
    given()
        .auth()
        .oauth2(TestTokens.server(newId("p")))
        .get("/manage/v1/referral/program")
        .then()
        .statusCode(200)
        .body("referrer_points", equalTo(0))
        .body("conversion_trigger", equalTo("points_earned"));
  }

  @Test
  void healthAndTheOpenApiDocumentAreServed() {
    given().get("/q/health/ready").then().statusCode(200);
    String openapi =
        given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
    for (String path :
        new String[] {
          "/api/v1/{tenant}/open/account/{accountId}/user/{userId}",
          "/api/v1/{tenant}/open/user",
          "/api/v1/{tenant}/open/code/{code}",
          "/api/v1/{tenant}/open/code/{code}/account/{accountId}/user/{userId}",
          "/api/v1/{tenant}/open/referrals",
          "/manage/v1/referral/program",
          "/manage/v1/referral/client-jwt-key",
          "/manage/v1/referral/api-keys/{id}",
          "/manage/v1/referral/referrals/{id}/convert"
        }) {
      assertTrue(openapi.contains("\"" + path + "\""), path);
    }
    assertTrue(openapi.contains("UserBody"), "UserBody schema");
  }

  @Test
  void aPartnerSecretRotationRevokesOlderServerTokens() throws Exception {
    Partner p = ReferralFixtures.partner();
    String before = TestTokens.server(p.id());
    Thread.sleep(1100); // the rotation happens in a later second than the token's iat
    Instant at = Instant.now();
    ReferralFixtures.publish(
        "auth.partners.v1",
        p.id(),
        """
        {"specversion":"1.0","id":"%s","source":"/rewards/auth-service",
         "type":"auth.partner.secret-rotated.v1","time":"%s","subject":"%s",
         "datacontenttype":"application/json","partnerid":"%s",
         "data":{"client_id":"%s","occurred_at":"%s","tokens_not_before":"%s"}}
        """
            .formatted(UUID.randomUUID(), at, p.id(), p.id(), p.id(), at, at));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .auth()
                    .oauth2(before)
                    .get("/manage/v1/referral/program")
                    .then()
                    .statusCode(401));
    Thread.sleep(1100);
    given()
        .auth()
        .oauth2(TestTokens.server(p.id()))
        .get("/manage/v1/referral/program")
        .then()
        .statusCode(200);
    // The API key is not a platform token: unaffected.
    assertNotNull(p.apiKey());
    p.withKey().get("/manage/v1/referral/program").then().statusCode(200);
  }
}
