package com.rewards.loyalty;

import static io.restassured.RestAssured.given;

import com.rewards.platform.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Real calls that set up a partner's catalog through the manage API and move points through the
 * public endpoints. Every test takes a fresh client id, so tests never see each other's rows.
 */
public final class LoyaltyFixtures {
  private LoyaltyFixtures() {}

  public static String newClientId() {
    return "lt-" + UUID.randomUUID();
  }

  public static String newUserId() {
    return "u-" + UUID.randomUUID();
  }

  public static RequestSpecification asServer(String clientId) {
    return given().auth().oauth2(TestTokens.server(clientId)).contentType(ContentType.JSON);
  }

  public static RequestSpecification asUser(String clientId, String userId) {
    return given().auth().oauth2(TestTokens.user(clientId, userId)).contentType(ContentType.JSON);
  }

  /** A partner with a plain program (no pending, no expiry, no cap) and one action. */
  public static String partnerWithAction(String code, long points) {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Test miles"));
    action(clientId, code, points);
    return clientId;
  }

  public static void program(String clientId, Map<String, Object> settings) {
    int status =
        asServer(clientId).body(settings).put("/manage/v1/program").then().extract().statusCode();
    if (status != 200 && status != 201) {
      throw new AssertionError("PUT /manage/v1/program answered " + status);
    }
  }

  public static void action(String clientId, String code, long points) {
    action(clientId, Map.of("code", code, "name", "Action " + code, "points", points));
  }

  public static void action(String clientId, Map<String, Object> fields) {
    asServer(clientId).body(fields).post("/manage/v1/actions").then().statusCode(201);
  }

  /** A gift open now; {@code stock} null = unlimited. Answers its id. */
  public static String gift(String clientId, String name, long cost, Integer stock) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("cost", cost);
    if (stock != null) {
      body.put("stock", stock);
    }
    return gift(clientId, body);
  }

  public static String gift(String clientId, Map<String, Object> fields) {
    return asServer(clientId)
        .body(fields)
        .post("/manage/v1/gifts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** The user completes the action ({@code generosity/store}); answers the {@code data} body. */
  public static JsonPath earn(String clientId, String userId, String code) {
    return asUser(clientId, userId)
        .body(Map.of("action_code", code))
        .post("/generosity/store")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .setRootPath("data");
  }

  public static long earnEntry(String clientId, String userId, String code) {
    return earn(clientId, userId, code).getLong("entry_id");
  }

  /** The user buys the gift; answers the redemption id. */
  public static String buy(String clientId, String userId, String giftId) {
    return asUser(clientId, userId)
        .body(Map.of("gift_id", giftId))
        .post("/gift/checkavailability")
        .then()
        .statusCode(200)
        .extract()
        .path("data.redemption_id");
  }

  public static void refund(String clientId, String redemptionId) {
    asServer(clientId)
        .post("/manage/v1/redemptions/" + redemptionId + "/refund")
        .then()
        .statusCode(200);
  }

  public static long adjust(String clientId, String userId, long points, String reason) {
    return asServer(clientId)
        .body(Map.of("points", points, "reason", reason))
        .post("/manage/v1/users/" + userId + "/adjustments")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getLong("entry_id");
  }
}
