package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.serverToken;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Document 003's k-store redirect carries a one-time code, never the user token. */
@QuarkusTest
class StoreRedirectTest {

  @Test
  void redirectCarriesASingleUseCodeForThePartnersServer() {
    var partner = newPartner();
    String userId = newUserId();
    String token = userToken(partner, userId);
    String server = serverToken(partner);

    given()
        .header("user-jwt-token", token)
        .post("/fe/users/k-store/generate-redirect-uri")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));

    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("store_url", "https://store.example.com/shop"))
        .put("/manage/v1/partner")
        .then()
        .statusCode(200)
        .body("storeUrl", equalTo("https://store.example.com/shop"));

    String url =
        given()
            .header("user-jwt-token", token)
            .post("/fe/users/k-store/generate-redirect-uri")
            .then()
            .statusCode(200)
            .body("url", startsWith("https://store.example.com/shop?code="))
            .body("url", containsString("&signature="))
            .body("url", not(containsString(token)))
            .extract()
            .path("url");
    String code = URI.create(url).getQuery().split("&")[0].substring("code=".length());

    given()
        .auth()
        .oauth2(serverToken(newPartner()))
        .contentType(ContentType.JSON)
        .body(Map.of("code", code))
        .post("/manage/v1/k-store/redeem")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("code", code))
        .post("/manage/v1/k-store/redeem")
        .then()
        .statusCode(200)
        .body("userId", equalTo(userId));
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("code", code))
        .post("/manage/v1/k-store/redeem")
        .then()
        .statusCode(404);
  }

  @Test
  void storeUrlMustBeAUrlAndOnlyServersSetIt() {
    var partner = newPartner();
    given()
        .auth()
        .oauth2(serverToken(partner))
        .contentType(ContentType.JSON)
        .body(Map.of("store_url", "javascript:alert(1)"))
        .put("/manage/v1/partner")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(userToken(partner, newUserId()))
        .contentType(ContentType.JSON)
        .body(Map.of("store_url", "https://store.example.com"))
        .put("/manage/v1/partner")
        .then()
        .statusCode(403);
  }
}
