package com.rewards.analytics;

import static com.rewards.analytics.AnalyticsFixtures.count;
import static com.rewards.analytics.AnalyticsFixtures.dropped;
import static com.rewards.analytics.AnalyticsFixtures.earned;
import static com.rewards.analytics.AnalyticsFixtures.event;
import static com.rewards.analytics.AnalyticsFixtures.key;
import static com.rewards.analytics.AnalyticsFixtures.newClientId;
import static com.rewards.analytics.AnalyticsFixtures.newUserId;
import static com.rewards.analytics.AnalyticsFixtures.publish;
import static com.rewards.analytics.ParticipationTest.programHistory;
import static com.rewards.analytics.ParticipationTest.userHistory;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.platform.event.UserErasures;
import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Poison records go to the DLQ and the consumers go on; UserDeleted removes the user's rows. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ConsumerRobustnessTest {
  static final Instant MAR_1 = Instant.parse("2024-03-01T10:00:00Z");
  static final Instant MAR_2 = Instant.parse("2024-03-02T10:00:00Z");
  static final Instant MAR_3 = Instant.parse("2024-03-03T10:00:00Z");
  static final String MARCH = "from=2024-03-01&to=2024-03-31&granularity=month";

  @Inject AgroalDataSource db;

  @Test
  void aRecordThatCannotBeReadGoesToTheDlqWithItsReasonAndLaterRecordsStillCount() {
    String c = newClientId();
    String u = newUserId();
    String poisonKey = key(c, u);
    try (var dlq = new TopicReader("analytics.dlq.v1")) {
      publish("loyalty.ledger.v1", poisonKey, "{not json");
      publish(
          "loyalty.ledger.v1",
          poisonKey,
          AnalyticsFixtures.event(
              UUID.randomUUID().toString(),
              "loyalty.points.earned.v1",
              c,
              MAR_1,
              Map.of("client_id", c, "points", 5)));
      publish(
          "loyalty.redemptions.v1",
          poisonKey,
          AnalyticsFixtures.event(
              UUID.randomUUID().toString(),
              "loyalty.gift.redeemed.v1",
              c,
              MAR_1,
              Map.of("client_id", c, "user_id", List.of("not", "a", "string"))));
      publish("analytics.px-events.v1", poisonKey, "[1,2,3]");
      // Later records on the same partitions still count.
      earned(c, u, 7, "action", MAR_2);
      dropped(c, u, "after_poison", MAR_2);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                JsonPath h = userHistory(c, u, MARCH);
                assertEquals(7, h.getInt("totals.points_earned"));
                assertEquals(1, h.getInt("totals.events_dropped"));
              });
      var letters =
          dlq.await(r -> poisonKey.equals(r.key()), 4, Duration.ofSeconds(30)).stream()
              .map(TopicReader::json)
              .toList();
      assertEquals(4, letters.size(), "one dead letter per poison record");
      dlq.await(r -> poisonKey.equals(r.key()), 4, Duration.ofSeconds(1))
          .forEach(r -> EventSchemas.assertValid(r.value()));
      Map<String, JsonNode> byValue =
          letters.stream()
              .collect(
                  Collectors.toMap(
                      l -> l.path("data").path("value").asText(), l -> l.path("data")));
      JsonNode notJson = byValue.get("{not json");
      assertEquals("analytics-service.ledger", notJson.path("consumer").asText());
      assertEquals("loyalty.ledger.v1", notJson.path("topic").asText());
      assertTrue(notJson.path("reason").asText().startsWith("not JSON"), notJson.toString());
      assertTrue(notJson.has("offset") && notJson.has("partition"));
      JsonNode array = byValue.get("[1,2,3]");
      assertEquals("analytics-service.px-events", array.path("consumer").asText());
      assertEquals("not a JSON object", array.path("reason").asText());
      List<String> reasons =
          letters.stream().map(l -> l.path("data").path("reason").asText()).toList();
      assertTrue(reasons.contains("data.user_id is missing or not a string"), reasons.toString());
    }
  }

  @Test
  void userDeletedRemovesTheUsersRowsAndKeepsTheProgramsCounts() throws Exception {
    String c = newClientId();
    String x = newUserId();
    String y = newUserId();
    dropped(c, x, "level_up", MAR_1);
    earned(c, x, 5, "action", MAR_2);
    dropped(c, y, "level_up", MAR_2);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonPath p = programHistory(c, MARCH);
              assertEquals(2, p.getInt("totals.events_dropped"));
              assertEquals(5, p.getInt("totals.points_earned"));
            });
    String xToken = TestTokens.user(c, x);
    given()
        .header("user-jwt-token", xToken)
        .get("/fe/analytics/participation/history?" + MARCH)
        .then()
        .statusCode(200);
    assertTrue(
        count(db, "select count(*) from user_daily where client_id = ? and user_id = ?", c, x) > 0);

    // Delivered twice (a relay's retry): applied and reported once.
    String deletionId = UUID.randomUUID().toString();
    Instant deletedAt = Instant.now();
    String deleted =
        event(
            deletionId,
            "auth.user.deleted.v1",
            c,
            deletedAt,
            Map.of(
                "client_id",
                c,
                "user_id",
                x,
                "namespaced_user_id",
                key(c, x),
                "occurred_at",
                deletedAt.toString()));
    String hash = UserErasures.userHash(c, x);
    try (var reader = new TopicReader(AnalyticsEvents.ERASURES_TOPIC)) {
      publish("auth.users.v1", key(c, x), deleted);
      publish("auth.users.v1", key(c, x), deleted);
      var mine = TopicReader.event(AnalyticsEvents.USER_ERASED, "user_hash", hash);
      reader.await(mine, 1, Duration.ofSeconds(60));
      var reports = reader.drain(mine, Duration.ofSeconds(5));
      assertEquals(1, reports.size(), "one report per deletion, however often it arrives");
      assertEquals(hash, reports.get(0).key());
      assertTrue(!reports.get(0).value().contains(x), reports.get(0).value());
      EventSchemas.assertValid(reports.get(0).value());
      JsonNode data = TopicReader.json(reports.get(0)).path("data");
      assertEquals(deletionId, data.path("deletion_id").asText());
      assertEquals("analytics-service", data.path("service").asText());
      assertTrue(data.path("removed").path("user_daily").asInt() > 0, data.toString());
      assertEquals(1, data.path("removed").path("user_event_daily").asInt(), data.toString());
      assertTrue(data.path("anonymised").path("daily_actives").asInt() > 0, data.toString());
    }
    assertEquals(
        1,
        count(db, "select count(*) from deleted_users where client_id = ? and user_id = ?", c, x));
    assertEquals(
        0, count(db, "select count(*) from user_daily where client_id = ? and user_id = ?", c, x));
    assertEquals(
        0,
        count(
            db, "select count(*) from user_event_daily where client_id = ? and user_id = ?", c, x));
    assertEquals(
        0, count(db, "select count(*) from daily_actives where client_id = ? and actor = ?", c, x));
    // The deleted user's token no longer works here.
    given()
        .header("user-jwt-token", xToken)
        .get("/fe/analytics/participation/history?" + MARCH)
        .then()
        .statusCode(401);

    // The program keeps its counts, anonymous: both users still count as active in March.
    JsonPath p = programHistory(c, MARCH);
    assertEquals(2, p.getInt("totals.events_dropped"));
    assertEquals(5, p.getInt("totals.points_earned"));
    assertEquals(1, p.getInt("totals.actions_completed"));
    assertEquals(2, p.getInt("totals.active_users"));
    // Y is untouched.
    assertEquals(1, userHistory(c, y, MARCH).getInt("totals.events_dropped"));

    // An event about X from before the deletion that arrives late counts for the program only.
    earned(c, x, 11, "action", MAR_3);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertEquals(16, programHistory(c, MARCH).getInt("totals.points_earned")));
    assertEquals(
        0, count(db, "select count(*) from user_daily where client_id = ? and user_id = ?", c, x));
    assertEquals(
        0, count(db, "select count(*) from daily_actives where client_id = ? and actor = ?", c, x));
    assertEquals(2, programHistory(c, MARCH).getInt("totals.active_users"));
  }
}
