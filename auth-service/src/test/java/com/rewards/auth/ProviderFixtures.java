package com.rewards.auth;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;

/** Calls of the identity-provider endpoints shared by the provider tests. */
final class ProviderFixtures {
  static final String AUDIENCE = "app-client-123";

  private ProviderFixtures() {}

  static Map<String, Object> settings(String issuer, String jwksUrl) {
    Map<String, Object> body = new HashMap<>();
    body.put("issuer", issuer);
    body.put("jwks_url", jwksUrl);
    body.put("audience", AUDIENCE);
    return body;
  }

  static Response putProvider(String token, String name, Map<String, Object> body) {
    return putProvider(token, name, body, null);
  }

  static Response putProvider(String token, String name, Map<String, Object> body, String links) {
    var request = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
    if (links != null) {
      request = request.queryParam("links", links);
    }
    return request.put("/manage/v1/identity-providers/" + name);
  }

  static Response signIn(String clientId, String provider, String idToken) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("client_id", clientId, "id_token", idToken))
        .post("/api/users/providers/" + provider + "/signin");
  }
}
