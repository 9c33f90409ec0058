package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.serverToken;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Document 002's update with each documented status, and show's visibility rules. */
@QuarkusTest
class ProfileUpdateTest {

  private static io.restassured.response.ValidatableResponse update(String token, Object body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/users/update")
        .then();
  }

  @Test
  void updatesProfileAndPasswordWithTheDocumentedCodes() {
    var partner = newPartner();
    String token = userToken(partner, newUserId());
    String name = "bob" + System.nanoTime() % 100000;

    update(token, Map.of()).statusCode(400).body("code", equalTo("NOTHING_TO_UPDATE"));
    update(token, Map.of("username", name, "info", Map.of("color", "blue")))
        .statusCode(200)
        .body("username", equalTo(name))
        .body("info.color", equalTo("blue"))
        .body("has_password", equalTo(false));

    update(token, Map.of("new_password", "first-password")).statusCode(200);
    update(token, Map.of("old_password", "first-password"))
        .statusCode(403)
        .body("code", equalTo("NEW_PASSWORD_MISSING"));
    update(token, Map.of("old_password", "wrong-password", "new_password", "second-password"))
        .statusCode(406)
        .body("code", equalTo("OLD_PASSWORD_WRONG"));
    update(token, Map.of("new_password", "second-password"))
        .statusCode(406)
        .body("code", equalTo("OLD_PASSWORD_WRONG"));
    update(token, Map.of("old_password", "first-password", "new_password", "second-password"))
        .statusCode(200)
        .body("has_password", equalTo(true));
    update(token, Map.of("old_password", "second-password", "new_password", "third-password"))
        .statusCode(200);
  }

  @Test
  void emailAndUsernameAreUniquePerPartner() {
    var partner = newPartner();
    String first = userToken(partner, newUserId());
    String second = userToken(partner, newUserId());
    String name = "taken" + System.nanoTime() % 100000;
    String email = name + "@example.com";
    update(first, Map.of("username", name, "email", email)).statusCode(200);

    update(second, Map.of("username", name.toUpperCase()))
        .statusCode(409)
        .body("code", equalTo("USERNAME_TAKEN"));
    update(second, Map.of("email", email)).statusCode(409).body("code", equalTo("EMAIL_TAKEN"));

    var otherPartner = newPartner();
    update(userToken(otherPartner, newUserId()), Map.of("username", name, "email", email))
        .statusCode(200);
  }

  @Test
  void refusesInvalidFields() {
    String token = userToken(newPartner(), newUserId());
    update(token, Map.of("email", "nope")).statusCode(400);
    update(token, Map.of("username", "x")).statusCode(400);
    update(token, Map.of("new_password", "short")).statusCode(400);
    update(token, Map.of("info", "not-an-object")).statusCode(400);
    update(token, Map.of("info", Map.of("big", "x".repeat(5000)))).statusCode(400);
  }

  @Test
  void showSeesOnlyTheCallersPartnerAndHidesOthersEmail() {
    var partner = newPartner();
    String alice = newUserId();
    String aliceToken = userToken(partner, alice);
    update(aliceToken, Map.of("email", alice + "@example.com")).statusCode(200);
    String bobToken = userToken(partner, newUserId());

    given()
        .auth()
        .oauth2(bobToken)
        .get("/api/users/show/" + alice)
        .then()
        .statusCode(200)
        .body("id", equalTo(alice))
        .body("email", nullValue());
    given()
        .auth()
        .oauth2(aliceToken)
        .get("/api/users/show/" + alice)
        .then()
        .statusCode(200)
        .body("email", equalTo(alice + "@example.com"));
    given()
        .auth()
        .oauth2(serverToken(partner))
        .get("/api/users/show/" + alice)
        .then()
        .statusCode(200)
        .body("email", equalTo(alice + "@example.com"));

    var other = newPartner();
    given()
        .auth()
        .oauth2(userToken(other, newUserId()))
        .get("/api/users/show/" + alice)
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
    given().auth().oauth2(bobToken).get("/api/users/show").then().statusCode(400);
  }
}
