package com.rewards.suite;

import static com.rewards.suite.Suite.gateway;

import io.restassured.specification.RequestSpecification;

/**
 * A partner of the running suite with its server token ({@link Fixtures#partner()} makes one). Each
 * test makes its own, so tests don't share balances, programs or users.
 */
public record Partner(String clientId, String clientSecret, String serverToken) {

  /** A request through the gateway with this partner's server token. */
  public RequestSpecification server() {
    return gateway().header("Authorization", "Bearer " + serverToken);
  }

  /** A request through the gateway as that user. */
  public static RequestSpecification asUser(String userToken) {
    return gateway().header("Authorization", "Bearer " + userToken);
  }
}
