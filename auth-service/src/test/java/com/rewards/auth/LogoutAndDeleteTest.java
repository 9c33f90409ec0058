package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.serverToken;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LogoutAndDeleteTest {

  @Test
  void logoutRevokesEveryEarlierTokenButNotTheNextSignIn() {
    var partner = newPartner();
    String userId = newUserId();
    String phone = userToken(partner, userId);
    String laptop = userToken(partner, userId);

    given()
        .auth()
        .oauth2(phone)
        .post("/user/logout")
        .then()
        .statusCode(200)
        .body("data.loggedOut", equalTo(true));

    given().auth().oauth2(phone).get("/api/users/isLogged").then().statusCode(401);
    given().auth().oauth2(laptop).get("/api/users/isLogged").then().statusCode(401);
    String fresh = userToken(partner, userId);
    given().auth().oauth2(fresh).get("/api/users/isLogged").then().statusCode(200);
  }

  @Test
  void deleteRemovesTheUserAndItsTokens() {
    var partner = newPartner();
    String userId = newUserId();
    String token = userToken(partner, userId);
    given()
        .auth()
        .oauth2(token)
        .post("/user/delete")
        .then()
        .statusCode(200)
        .body("data.deleted", equalTo(true))
        .body("data.userId", equalTo(userId));
    given().auth().oauth2(token).get("/api/users/isLogged").then().statusCode(401);
    given()
        .auth()
        .oauth2(serverToken(partner))
        .get("/api/users/show/" + userId)
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
  }

  @Test
  void document002DeleteAnswersTheUser() {
    var partner = newPartner();
    String userId = newUserId();
    String token = userToken(partner, userId);
    given()
        .auth()
        .oauth2(token)
        .delete("/api/users/delete")
        .then()
        .statusCode(200)
        .body("id", equalTo(userId));
    given().auth().oauth2(token).delete("/api/users/delete").then().statusCode(401);
  }

  @Test
  void multiDeleteReportsPerUserAndStaysInsideThePartner() {
    var partner = newPartner();
    var other = newPartner();
    String mine = newUserId();
    String theirs = newUserId();
    userToken(partner, mine);
    String theirToken = userToken(other, theirs);

    given()
        .auth()
        .oauth2(serverToken(partner))
        .contentType(ContentType.JSON)
        .body(Map.of("user_ids", List.of(mine, theirs, "never-existed")))
        .post("/user/multidelete")
        .then()
        .statusCode(200)
        .body("data.results", hasSize(3))
        .body("data.results[0].status", equalTo("deleted"))
        .body("data.results[1].status", equalTo("not_found"))
        .body("data.results[2].status", equalTo("not_found"));

    given().auth().oauth2(theirToken).get("/api/users/isLogged").then().statusCode(200);
  }

  @Test
  void multiDeleteValidatesItsBody() {
    var partner = newPartner();
    String server = serverToken(partner);
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("user_ids", List.of()))
        .post("/user/multidelete")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("user_ids", java.util.Collections.nCopies(101, "x")))
        .post("/user/multidelete")
        .then()
        .statusCode(400);
  }
}
