package com.rewards.analytics;

import static com.rewards.analytics.AnalyticsFixtures.newClientId;
import static com.rewards.analytics.AnalyticsFixtures.newUserId;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestStack;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With the broker down a drop is a 503 with Retry-After, never a 200; once it is back the same drop
 * (same client event id) is stored, exactly once.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class KafkaOutageTest {

  @Test
  void aDropWhileKafkaIsDownIs503AndTheRetryAfterwardsIsStoredOnce() {
    String c = newClientId();
    String u = newUserId();
    String key = c + "___" + u;
    String clientEventId = UUID.randomUUID().toString();
    String token = TestTokens.user(c, u);
    // Warm up: the producer has the topic's metadata, as in a running service.
    drop(token, UUID.randomUUID().toString()).statusCode(200);

    TestStack.stopKafka();
    try {
      drop(token, clientEventId)
          .statusCode(503)
          .contentType("application/problem+json")
          .header("Retry-After", "5")
          .body("code", equalTo("EVENT_STORE_UNAVAILABLE"));
      given()
          .header("user-jwt-token", token)
          .contentType(ContentType.JSON)
          .body("{\"events\":[{\"event_id\":\"e\",\"attributes\":{}}]}")
          .post("/fe/analytics/px-tracker/events/batch")
          .then()
          .statusCode(503)
          .header("Retry-After", "5")
          .body("code", equalTo("EVENT_STORE_UNAVAILABLE"));
    } finally {
      TestStack.startKafka();
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> drop(token, clientEventId).statusCode(200));
    try (var reader = new TopicReader("analytics.px-events.v1")) {
      reader.await(
          TopicReader.event("analytics.px-event.dropped.v1", "client_event_id", clientEventId),
          1,
          Duration.ofSeconds(30));
      var stored =
          reader.drain(
              r ->
                  key.equals(r.key())
                      && clientEventId.equals(
                          TopicReader.json(r).path("data").path("client_event_id").asText()),
              Duration.ofSeconds(2));
      assertEquals(1, stored.size(), "stored once, although it was tried while Kafka was down");
    }
  }

  private static ValidatableResponse drop(String token, String clientEventId) {
    return given()
        .header("user-jwt-token", token)
        .header("X-Client-Event-Id", clientEventId)
        .contentType(ContentType.JSON)
        .body("{\"level\":1}")
        .post("/fe/analytics/px-tracker/events/level_up/drop")
        .then();
  }
}
