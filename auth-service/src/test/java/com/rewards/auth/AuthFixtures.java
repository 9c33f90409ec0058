package com.rewards.auth;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;

/** Real calls that set up partners, users and tokens for a test. */
public final class AuthFixtures {
  public static final String OPERATOR_KEY = "dev-operator-key";

  private AuthFixtures() {}

  public record Partner(String clientId, String clientSecret) {}

  public static Partner newPartner() {
    var body =
        given()
            .header("X-Operator-Key", OPERATOR_KEY)
            .contentType(ContentType.JSON)
            .body(Map.of("name", "Test partner"))
            .post("/admin/v1/partners")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    return new Partner(body.getString("clientId"), body.getString("clientSecret"));
  }

  public static String serverToken(Partner partner) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", partner.clientId(), "client_secret", partner.clientSecret()))
        .post("/auth/token")
        .then()
        .statusCode(200)
        .extract()
        .path("data.access_token");
  }

  public static String userToken(Partner partner, String userId) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", partner.clientId(), "user_id", userId))
        .post("/user/clientcheckcredentials")
        .then()
        .statusCode(200)
        .extract()
        .path("data.user.userToken");
  }

  public static String newUserId() {
    return "u-" + UUID.randomUUID();
  }
}
