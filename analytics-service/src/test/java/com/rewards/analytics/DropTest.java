package com.rewards.analytics;

import static com.rewards.analytics.AnalyticsFixtures.MAPPER;
import static com.rewards.analytics.AnalyticsFixtures.newClientId;
import static com.rewards.analytics.AnalyticsFixtures.newUserId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The event drop tracker of document 003: what is accepted, what is refused, what is stored. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class DropTest {
  static final String TOPIC = "analytics.px-events.v1";

  private static RequestSpecification asUser(String clientId, String userId) {
    return given()
        .header("user-jwt-token", TestTokens.user(clientId, userId))
        .contentType(ContentType.JSON);
  }

  private static String dropPath(String eventId) {
    return "/fe/analytics/px-tracker/events/" + eventId + "/drop";
  }

  private static JsonNode data(ConsumerRecord<String, String> record) {
    return TopicReader.json(record).path("data");
  }

  @Test
  void aDropIsACloudEventOnTheTopicKeyedByTheUser() {
    String clientId = newClientId();
    String userId = newUserId();
    String key = clientId + "___" + userId;
    try (var reader = new TopicReader(TOPIC)) {
      asUser(clientId, userId)
          .header("X-Client-Time", "2024-05-01T12:00:00.250+02:00")
          .body("{\"attr1\":\"attr1Value\",\"count\":3,\"ratio\":1.5,\"big\":9007199254740993}")
          .post(dropPath("testEventID"))
          .then()
          .statusCode(200)
          .contentType(ContentType.JSON)
          .body("msg", equalTo("event dropped successfully"));

      var records = reader.await(r -> key.equals(r.key()), 1, Duration.ofSeconds(30));
      assertEquals(1, records.size());
      ConsumerRecord<String, String> record = records.get(0);
      EventSchemas.assertValid(record.value());
      JsonNode event = TopicReader.json(record);
      assertEquals("analytics.px-event.dropped.v1", event.path("type").asText());
      assertEquals("/rewards/analytics-service", event.path("source").asText());
      assertEquals(key, event.path("subject").asText());
      assertEquals(clientId, event.path("partnerid").asText());
      assertEquals(
          "application/cloudevents+json",
          new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
      JsonNode data = event.path("data");
      assertEquals(clientId, data.path("client_id").asText());
      assertEquals(userId, data.path("user_id").asText());
      assertEquals(key, data.path("namespaced_user_id").asText());
      assertEquals("testEventID", data.path("event_id").asText());
      assertEquals("2024-05-01T10:00:00.250Z", data.path("client_time").asText());
      assertEquals(event.path("time").asText(), data.path("server_time").asText());
      assertFalse(data.has("client_event_id"));
      // Types survive as sent: a string stays a string, an int an int, a float a float.
      JsonNode attributes = data.path("attributes");
      assertTrue(attributes.path("attr1").isTextual());
      assertTrue(attributes.path("count").isIntegralNumber());
      assertEquals(3, attributes.path("count").asInt());
      assertTrue(attributes.path("ratio").isFloatingPointNumber());
      assertEquals(1.5, attributes.path("ratio").asDouble());
      assertEquals(9007199254740993L, attributes.path("big").asLong());
    }
  }

  @Test
  void everyBodyThatIsNotAFlatObjectOfStringsAndNumbersIs400() {
    String clientId = newClientId();
    String userId = newUserId();
    List<String> bad =
        List.of(
            "{\"a\":{\"nested\":1}}",
            "{\"a\":[1,2]}",
            "{\"a\":null}",
            "{\"a\":true}",
            "{\"a\":false}",
            "{\"\":\"empty key\"}",
            "not json",
            "{\"a\":\"unterminated}",
            "[{\"a\":1}]",
            "\"a string\"",
            "42",
            "null",
            "",
            "{\"a\":1,\"a\":2}",
            "{\"a\":1} trailing",
            "{\"a\":123456789012345678901234567890}",
            "{\"a\":1e400}",
            "{\"a\\u0001\":1}");
    for (String body : bad) {
      asUser(clientId, userId)
          .body(body)
          .post(dropPath("e1"))
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", equalTo("BAD_REQUEST"));
    }
  }

  @Test
  void documentedLimitsAreEnforced() {
    String clientId = newClientId();
    String userId = newUserId();
    Map<String, Object> fifty =
        IntStream.range(0, 50).boxed().collect(Collectors.toMap(i -> "k" + i, i -> i));
    Map<String, Object> fiftyOne =
        IntStream.range(0, 51).boxed().collect(Collectors.toMap(i -> "k" + i, i -> i));
    asUser(clientId, userId).body(fifty).post(dropPath("e")).then().statusCode(200);
    asUser(clientId, userId)
        .body(fiftyOne)
        .post(dropPath("e"))
        .then()
        .statusCode(413)
        .body("code", equalTo("PAYLOAD_TOO_LARGE"));

    asUser(clientId, userId)
        .body(Map.of("k".repeat(64), 1))
        .post(dropPath("e"))
        .then()
        .statusCode(200);
    asUser(clientId, userId)
        .body(Map.of("k".repeat(65), 1))
        .post(dropPath("e"))
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));

    asUser(clientId, userId)
        .body(Map.of("v", "x".repeat(1024)))
        .post(dropPath("e"))
        .then()
        .statusCode(200);
    asUser(clientId, userId)
        .body(Map.of("v", "x".repeat(1025)))
        .post(dropPath("e"))
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
    // 1 KB is counted in UTF-8 bytes: 513 two-byte characters are 1026 bytes.
    asUser(clientId, userId)
        .body(Map.of("v", "é".repeat(513)))
        .post(dropPath("e"))
        .then()
        .statusCode(400);

    // 16 attributes of 1000 bytes: every one within limits, the body over 16 KB.
    Map<String, Object> big =
        IntStream.range(0, 17)
            .boxed()
            .collect(Collectors.toMap(i -> "k" + i, i -> "x".repeat(1000)));
    asUser(clientId, userId)
        .body(big)
        .post(dropPath("e"))
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("code", equalTo("PAYLOAD_TOO_LARGE"));

    for (String eventId : List.of("a".repeat(65), "has%20space", "dollar$", "%C3%A9")) {
      asUser(clientId, userId)
          .body(Map.of("a", 1))
          .post(dropPath(eventId))
          .then()
          .statusCode(400)
          .body("code", equalTo("BAD_REQUEST"));
    }
    asUser(clientId, userId)
        .body(Map.of("a", 1))
        .post(dropPath("a".repeat(64)))
        .then()
        .statusCode(200);
    asUser(clientId, userId)
        .header("X-Client-Time", "yesterday")
        .body(Map.of("a", 1))
        .post(dropPath("e"))
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
    asUser(clientId, userId)
        .header("X-Client-Event-Id", "has space")
        .body(Map.of("a", 1))
        .post(dropPath("e"))
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
  }

  @Test
  void anyContentTypeIsReadAsJsonAndAnEmptyObjectIsAnEvent() {
    String clientId = newClientId();
    String userId = newUserId();
    given()
        .header("user-jwt-token", TestTokens.user(clientId, userId))
        .contentType("text/plain")
        .body("{\"from\":\"beacon\"}")
        .post(dropPath("app_open"))
        .then()
        .statusCode(200);
    given()
        .header("user-jwt-token", TestTokens.user(clientId, userId))
        .contentType("application/x-www-form-urlencoded")
        .body("a=1")
        .post(dropPath("app_open"))
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
    asUser(clientId, userId).body("{}").post(dropPath("app_open")).then().statusCode(200);
  }

  @Test
  void onlyUsersMayDrop() {
    String clientId = newClientId();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("a", 1))
        .post(dropPath("e"))
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", equalTo("UNAUTHORIZED"));
    given()
        .header("user-jwt-token", "not-a-token")
        .contentType(ContentType.JSON)
        .body(Map.of("a", 1))
        .post(dropPath("e"))
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(TestTokens.server(clientId))
        .contentType(ContentType.JSON)
        .body(Map.of("a", 1))
        .post(dropPath("e"))
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, newUserId()))
        .contentType(ContentType.JSON)
        .body(Map.of("a", 1))
        .post(dropPath("e"))
        .then()
        .statusCode(200);
  }

  @Test
  void aClientEventIdIsStoredOnceAndCannotBeReusedForAnotherEvent() {
    String clientId = newClientId();
    String userId = newUserId();
    String other = newUserId();
    String clientEventId = UUID.randomUUID().toString();
    try (var reader = new TopicReader(TOPIC)) {
      for (int i = 0; i < 3; i++) {
        asUser(clientId, userId)
            .header("X-Client-Event-Id", clientEventId)
            .body("{\"level\":3,\"name\":\"x\"}")
            .post(dropPath("level_up"))
            .then()
            .statusCode(200)
            .body("msg", equalTo("event dropped successfully"));
      }
      // Same attributes in another order, the id as the platform's Idempotency-Key: the same event.
      asUser(clientId, userId)
          .header("Idempotency-Key", clientEventId)
          .body("{\"name\":\"x\",\"level\":3}")
          .post(dropPath("level_up"))
          .then()
          .statusCode(200);
      asUser(clientId, userId)
          .header("X-Client-Event-Id", clientEventId)
          .body("{\"level\":4,\"name\":\"x\"}")
          .post(dropPath("level_up"))
          .then()
          .statusCode(409)
          .body("code", equalTo("CLIENT_EVENT_ID_REUSED"));
      asUser(clientId, userId)
          .header("X-Client-Event-Id", clientEventId)
          .header("Idempotency-Key", "something-else")
          .body("{\"level\":3,\"name\":\"x\"}")
          .post(dropPath("level_up"))
          .then()
          .statusCode(400)
          .body("code", equalTo("BAD_REQUEST"));
      // Ids are per user: another user's event with the same id is its own.
      asUser(clientId, other)
          .header("X-Client-Event-Id", clientEventId)
          .body("{\"level\":3,\"name\":\"x\"}")
          .post(dropPath("level_up"))
          .then()
          .statusCode(200);

      String key = clientId + "___" + userId;
      String otherKey = clientId + "___" + other;
      reader.await(r -> otherKey.equals(r.key()), 1, Duration.ofSeconds(30));
      var mine = reader.drain(r -> key.equals(r.key()), Duration.ofSeconds(2));
      assertEquals(1, mine.size(), "one record for one client event id");
      assertEquals(clientEventId, data(mine.get(0)).path("client_event_id").asText());
      EventSchemas.assertValid(mine.get(0).value());
    }
  }

  @Test
  void aBatchAnswersPerEvent() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    String key = clientId + "___" + userId;
    String clientEventId = UUID.randomUUID().toString();
    String body =
        """
        {"events":[
          {"event_id":"level_up","attributes":{"level":2},"client_event_id":"%s"},
          {"event_id":"level_up","attributes":{"level":true}},
          {"eventId":"level_up","attributes":{"level":2},"clientEventId":"%s"},
          {"event_id":"bad id!","attributes":{}},
          {"event_id":"shop","attributes":%s},
          {"event_id":"shop","attributes":{"item":"mug","price":9.5},
           "client_time":"2024-05-01T10:00:00Z"},
          {"event_id":"shop","attribute":{}},
          "not an object"
        ]}
        """
            .formatted(
                clientEventId,
                clientEventId,
                MAPPER.writeValueAsString(
                    IntStream.range(0, 51)
                        .boxed()
                        .collect(Collectors.toMap(i -> "k" + i, i -> i))));
    try (var reader = new TopicReader(TOPIC)) {
      asUser(clientId, userId)
          .body(body)
          .post("/fe/analytics/px-tracker/events/batch")
          .then()
          .statusCode(200)
          .body("dropped", equalTo(2))
          .body("duplicates", equalTo(1))
          .body("rejected", equalTo(5))
          .body("failed", equalTo(0))
          .body(
              "results.status",
              equalTo(
                  List.of(
                      "dropped",
                      "rejected",
                      "duplicate",
                      "rejected",
                      "rejected",
                      "dropped",
                      "rejected",
                      "rejected")))
          .body("results[1].code", equalTo("BAD_REQUEST"))
          .body("results[1].http_status", equalTo(400))
          .body("results[4].code", equalTo("PAYLOAD_TOO_LARGE"))
          .body("results[4].http_status", equalTo(413))
          .body("results[0].event_id", equalTo("level_up"));

      var records = reader.await(r -> key.equals(r.key()), 2, Duration.ofSeconds(30));
      var all = reader.drain(r -> key.equals(r.key()), Duration.ofSeconds(2));
      assertEquals(2, all.size());
      records.forEach(r -> EventSchemas.assertValid(r.value()));
      assertEquals(
          List.of("level_up", "shop"),
          all.stream().map(r -> data(r).path("event_id").asText()).toList());
      assertEquals("2024-05-01T10:00:00Z", data(all.get(1)).path("client_time").asText());

      // Retrying the whole batch stores nothing new for the event with a client event id.
      asUser(clientId, userId)
          .body(
              "{\"events\":[{\"eventId\":\"level_up\",\"attributes\":{\"level\":2},"
                  + "\"clientEventId\":\""
                  + clientEventId
                  + "\"}]}")
          .post("/fe/analytics/px-tracker/events/batch")
          .then()
          .statusCode(200)
          .body("duplicates", equalTo(1))
          .body("results[0].status", equalTo("duplicate"));
    }
  }

  @Test
  void aBatchEnvelopeOutsideItsLimitsIsRefusedWhole() {
    String clientId = newClientId();
    String userId = newUserId();
    String path = "/fe/analytics/px-tracker/events/batch";
    String event = "{\"eventId\":\"e\",\"attributes\":{\"a\":1}}";
    String hundredAndOne =
        IntStream.range(0, 101).mapToObj(i -> event).collect(Collectors.joining(",", "[", "]"));
    asUser(clientId, userId)
        .body("{\"events\":" + hundredAndOne + "}")
        .post(path)
        .then()
        .statusCode(413)
        .body("code", equalTo("PAYLOAD_TOO_LARGE"));
    for (String body : List.of("[]", "{\"events\":[]}", "{\"events\":{}}", "nope", "{}")) {
      asUser(clientId, userId)
          .body(body)
          .post(path)
          .then()
          .statusCode(400)
          .body("code", equalTo("BAD_REQUEST"));
    }
    // 100 events of 6 KB each: every event is within its limits, the batch is over 500 KB.
    String fat =
        "{\"eventId\":\"e\",\"attributes\":{"
            + IntStream.range(0, 6)
                .mapToObj(i -> "\"k" + i + "\":\"" + "x".repeat(1000) + "\"")
                .collect(Collectors.joining(","))
            + "}}";
    String hundredFat =
        IntStream.range(0, 100).mapToObj(i -> fat).collect(Collectors.joining(",", "[", "]"));
    asUser(clientId, userId)
        .body("{\"events\":" + hundredFat + "}")
        .post(path)
        .then()
        .statusCode(413)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("PAYLOAD_TOO_LARGE"));
  }
}
