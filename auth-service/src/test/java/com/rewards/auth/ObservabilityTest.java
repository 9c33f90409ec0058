package com.rewards.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health for the orchestrator, and the outbox's lag among the metrics. */
@QuarkusTest
class ObservabilityTest {

  @Test
  void healthAndOutboxMetricsAreServed() {
    AuthFixtures.newPartner();
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                given()
                    .get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .body(containsString("rewards_outbox_backlog"))
                    .body(containsString("rewards_outbox_oldest_age_seconds"))
                    .body(
                        containsString(
                            "rewards_events_published_total{type=\"auth.partner.created.v1\"")));
  }
}
