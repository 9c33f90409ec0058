package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.OPERATOR_KEY;
import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.serverToken;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PartnerAdminTest {

  @Test
  void onlyTheOperatorCreatesPartners() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x"))
        .post("/admin/v1/partners")
        .then()
        .statusCode(401);
    given()
        .header("X-Operator-Key", "wrong")
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x"))
        .post("/admin/v1/partners")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(serverToken(newPartner()))
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x"))
        .post("/admin/v1/partners")
        .then()
        .statusCode(403);
  }

  @Test
  void clientIdsAreUniqueAndValidated() {
    String clientId = "partner-" + System.nanoTime();
    given()
        .header("X-Operator-Key", OPERATOR_KEY)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "Acme", "client_id", clientId))
        .post("/admin/v1/partners")
        .then()
        .statusCode(201)
        .body("clientId", equalTo(clientId))
        .body("clientSecret", notNullValue());
    given()
        .header("X-Operator-Key", OPERATOR_KEY)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "Acme", "client_id", clientId))
        .post("/admin/v1/partners")
        .then()
        .statusCode(409)
        .body("code", equalTo("CLIENT_ID_TAKEN"));
    given()
        .header("X-Operator-Key", OPERATOR_KEY)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "Acme", "client_id", "bad id!"))
        .post("/admin/v1/partners")
        .then()
        .statusCode(400);
    given()
        .header("X-Operator-Key", OPERATOR_KEY)
        .contentType(ContentType.JSON)
        .body(Map.of("name", ""))
        .post("/admin/v1/partners")
        .then()
        .statusCode(400);
  }

  @Test
  void secretRotationKillsTheOldSecretAndItsServerTokens() throws Exception {
    var partner = newPartner();
    String oldToken = serverToken(partner);
    Thread.sleep(1100); // iat has second precision: rotate in a later second than oldToken
    String newSecret =
        given()
            .header("X-Operator-Key", OPERATOR_KEY)
            .post("/admin/v1/partners/" + partner.clientId() + "/secret")
            .then()
            .statusCode(200)
            .extract()
            .path("clientSecret");

    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", partner.clientId(), "client_secret", partner.clientSecret()))
        .post("/auth/token")
        .then()
        .statusCode(401);
    given().auth().oauth2(oldToken).get("/manage/v1/partner").then().statusCode(401);
    String fresh = serverToken(new AuthFixtures.Partner(partner.clientId(), newSecret));
    given().auth().oauth2(fresh).get("/manage/v1/partner").then().statusCode(200);

    given()
        .header("X-Operator-Key", OPERATOR_KEY)
        .post("/admin/v1/partners/no-such-partner/secret")
        .then()
        .statusCode(404);
  }

  @Test
  void keyRotationKeepsOldTokensValidAndPublishesBothKeys() throws Exception {
    var partner = newPartner();
    String userId = newUserId();
    String before = userToken(partner, userId);
    String oldKid = kidOf(before);

    String newKid =
        given()
            .header("X-Operator-Key", OPERATOR_KEY)
            .post("/admin/v1/signing-keys/rotate")
            .then()
            .statusCode(200)
            .extract()
            .path("kid");
    String after = userToken(partner, userId);

    org.junit.jupiter.api.Assertions.assertEquals(newKid, kidOf(after));
    given()
        .get("/.well-known/jwks.json")
        .then()
        .statusCode(200)
        .body("keys.kid", hasItems(oldKid, newKid))
        .body("keys.d", not(hasItems(notNullValue())))
        .body("keys.alg", hasItems("ES256"));
    for (String token : List.of(before, after)) {
      given().auth().oauth2(token).get("/api/users/isLogged").then().statusCode(200);
    }
  }

  private static String kidOf(String token) throws Exception {
    return new JwtConsumerBuilder()
        .setSkipAllValidators()
        .setDisableRequireSignature()
        .setSkipSignatureVerification()
        .build()
        .process(token)
        .getJoseObjects()
        .get(0)
        .getKeyIdHeaderValue();
  }
}
