package com.rewards.suite;

import static com.rewards.suite.Suite.gateway;

import io.restassured.specification.RequestSpecification;

/**
 * A partner of the running suite, made through the admin API as an operator would, with its server
 * token. Each test makes its own, so tests don't share balances, programs or users.
 */
public record Partner(String clientId, String clientSecret, String serverToken) {

  public static Partner create() {
    String clientId = Suite.unique("suite");
    String secret =
        gateway()
            .header("X-Operator-Key", Suite.OPERATOR_KEY)
            .body("{\"name\":\"Suite test partner\",\"client_id\":\"" + clientId + "\"}")
            .post("/admin/v1/partners")
            .then()
            .statusCode(201)
            .extract()
            .path("clientSecret");
    String token =
        gateway()
            .body("{\"client_id\":\"" + clientId + "\",\"client_secret\":\"" + secret + "\"}")
            .post("/auth/token")
            .then()
            .statusCode(200)
            .extract()
            .path("data.access_token");
    return new Partner(clientId, secret, token);
  }

  /** A request through the gateway with this partner's server token. */
  public RequestSpecification server() {
    return gateway().header("Authorization", "Bearer " + serverToken);
  }

  /** Signs a user of this partner's app in (document 000) and returns the user token. */
  public String userToken(String userId) {
    return gateway()
        .body(
            "{\"client_id\":\""
                + clientId
                + "\",\"user_id\":\""
                + userId
                + "\",\"first_name\":\"Suite\"}")
        .post("/user/clientcheckcredentials")
        .then()
        .statusCode(200)
        .extract()
        .path("data.user.userToken");
  }

  /** A request through the gateway as that user. */
  public static RequestSpecification asUser(String userToken) {
    return gateway().header("Authorization", "Bearer " + userToken);
  }
}
