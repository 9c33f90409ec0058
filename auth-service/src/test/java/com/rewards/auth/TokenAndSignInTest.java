package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.serverToken;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokenAndSignInTest {

  @Test
  void serverTokenFromClientCredentials() {
    var partner = newPartner();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("clientId", partner.clientId(), "clientSecret", partner.clientSecret()))
        .post("/auth/token")
        .then()
        .statusCode(200)
        .body("data.token_type", equalTo("Bearer"))
        .body("data.expires_in", equalTo(3600))
        .body("data.access_token", notNullValue());
  }

  @Test
  void wrongSecretAndUnknownClientAnswerAlike() {
    var partner = newPartner();
    for (Map<String, String> body :
        new Map[] {
          Map.of("client_id", partner.clientId(), "client_secret", "wrong"),
          Map.of("client_id", "no-such-client", "client_secret", partner.clientSecret())
        }) {
      given()
          .contentType(ContentType.JSON)
          .body(body)
          .post("/auth/token")
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .body("code", equalTo("INVALID_CLIENT"));
    }
  }

  @Test
  void badBodiesAre400ProblemsWithoutInternals() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"client_id\": ")
        .post("/auth/token")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("BAD_REQUEST"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", "x"))
        .post("/auth/token")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"))
        .body("errors[0].field", equalTo("clientSecret"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", "x".repeat(65), "client_secret", "y"))
        .post("/auth/token")
        .then()
        .statusCode(400);
  }

  @Test
  void clientCheckCredentialsCreatesOnceThenConnects() {
    var partner = newPartner();
    String userId = newUserId();
    Map<String, String> body =
        Map.of(
            "client_id",
            partner.clientId(),
            "user_id",
            userId,
            "email",
            userId + "@example.com",
            "first_name",
            "Bob");
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/user/clientcheckcredentials")
        .then()
        .statusCode(200)
        .body("data.user.id", equalTo(userId))
        .body("data.user.created", equalTo(true))
        .body("data.user.firstName", equalTo("Bob"))
        .body("data.user.userToken", notNullValue());
    String token =
        given()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/user/clientcheckcredentials")
            .then()
            .statusCode(200)
            .body("data.user.created", equalTo(false))
            .extract()
            .path("data.user.userToken");

    given()
        .auth()
        .oauth2(token)
        .get("/api/users/isLogged")
        .then()
        .statusCode(200)
        .body("user.id", equalTo(userId))
        .body("user.email", equalTo(userId + "@example.com"))
        .body("user.password_hash", equalTo(null));
  }

  @Test
  void clientCheckCredentialsRefusesBadInput() {
    var partner = newPartner();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", "no-such-client", "user_id", "u1"))
        .post("/user/clientcheckcredentials")
        .then()
        .statusCode(401)
        .body("code", equalTo("INVALID_CLIENT"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", partner.clientId(), "user_id", "a___b"))
        .post("/user/clientcheckcredentials")
        .then()
        .statusCode(400);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", partner.clientId(), "user_id", "u1", "email", "not-an-email"))
        .post("/user/clientcheckcredentials")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("email"));

    String email = newUserId() + "@example.com";
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", partner.clientId(), "user_id", newUserId(), "email", email))
        .post("/user/clientcheckcredentials")
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", partner.clientId(), "user_id", newUserId(), "email", email))
        .post("/user/clientcheckcredentials")
        .then()
        .statusCode(409)
        .body("code", equalTo("EMAIL_TAKEN"));
  }

  @Test
  void userTokenIsAcceptedInTheDocument003Header() {
    var partner = newPartner();
    String userId = newUserId();
    String token = userToken(partner, userId);
    given()
        .header("user-jwt-token", token)
        .get("/api/users/isLogged")
        .then()
        .statusCode(200)
        .body("user.id", equalTo(userId));
  }

  @Test
  void rolesAreEnforced() {
    var partner = newPartner();
    String user = userToken(partner, newUserId());
    String server = serverToken(partner);
    given()
        .auth()
        .oauth2(user)
        .contentType(ContentType.JSON)
        .body(Map.of("user_ids", java.util.List.of("x")))
        .post("/user/multidelete")
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    given().auth().oauth2(server).get("/api/users/isLogged").then().statusCode(403);
    given()
        .get("/api/users/isLogged")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", startsWith("Bearer"))
        .body("code", equalTo("UNAUTHORIZED"));
  }
}
