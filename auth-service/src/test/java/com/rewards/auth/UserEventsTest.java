package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.platform.testing.TestStack;
import com.rewards.platform.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** auth.users.v1 carries CloudEvents through the outbox, in order per user, once each. */
@QuarkusTest
class UserEventsTest {

  @Test
  void lifecycleEventsAreCloudEventsKeyedByUserInOrder() {
    var partner = newPartner();
    String userId = newUserId();
    String key = partner.clientId() + "___" + userId;
    try (var reader = new TopicReader("auth.users.v1")) {
      String token = userToken(partner, userId);
      given().auth().oauth2(token).post("/user/logout").then().statusCode(200);
      given().auth().oauth2(userToken(partner, userId)).post("/user/delete").then().statusCode(200);

      var records = reader.await(r -> key.equals(r.key()), 3, Duration.ofSeconds(30));
      List<String> types =
          records.stream().map(r -> TopicReader.json(r).path("type").asText()).toList();
      assertEquals(
          List.of("auth.user.created.v1", "auth.user.logged-out.v1", "auth.user.deleted.v1"),
          types);

      var created = TopicReader.json(records.get(0));
      assertEquals("1.0", created.path("specversion").asText());
      assertEquals("/rewards/auth-service", created.path("source").asText());
      assertEquals(key, created.path("subject").asText());
      assertEquals(partner.clientId(), created.path("partnerid").asText());
      assertFalse(created.path("id").asText().isEmpty());
      assertFalse(created.path("time").asText().isEmpty());
      assertEquals(userId, created.path("data").path("user_id").asText());
      assertEquals(key, created.path("data").path("namespaced_user_id").asText());
      assertFalse(records.get(1).value().contains("token\""), "no token on the topic");
      assertTrue(
          TopicReader.json(records.get(1)).path("data").has("tokens_valid_after"),
          "logout carries its not-before");
    }
  }

  /**
   * The broker goes away while users sign in; every write still succeeds and, once the broker is
   * back, every event arrives exactly once.
   */
  @Test
  void eventsWrittenWhileKafkaIsDownArriveOnceItIsBack() {
    var partner = newPartner();
    List<String> users = new ArrayList<>();
    TestStack.stopKafka();
    try {
      IntStream.range(0, 10)
          .forEach(
              i -> {
                String userId = newUserId();
                users.add(partner.clientId() + "___" + userId);
                userToken(partner, userId);
              });
    } finally {
      TestStack.startKafka();
    }
    try (var reader = new TopicReader("auth.users.v1")) {
      reader.await(r -> users.contains(r.key()), users.size(), Duration.ofSeconds(90));
      var all = reader.drain(r -> users.contains(r.key()), Duration.ofSeconds(3));
      assertEquals(users.size(), all.size(), "each event exactly once");
      assertEquals(
          users.stream().sorted().toList(), all.stream().map(r -> r.key()).sorted().toList());
    }
  }

  @Test
  void theRequestIdFollowsTheChangeIntoKafka() {
    var partner = newPartner();
    String userId = newUserId();
    String key = partner.clientId() + "___" + userId;
    String requestId = "req-" + java.util.UUID.randomUUID();
    try (var reader = new TopicReader("auth.users.v1")) {
      given()
          .header("X-Request-Id", requestId)
          .contentType(io.restassured.http.ContentType.JSON)
          .body(java.util.Map.of("client_id", partner.clientId(), "user_id", userId))
          .post("/user/clientcheckcredentials")
          .then()
          .statusCode(200)
          .header("X-Request-Id", requestId);
      var records = reader.await(r -> key.equals(r.key()), 1, Duration.ofSeconds(30));
      var header = records.get(0).headers().lastHeader("x-request-id");
      assertEquals(requestId, new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
