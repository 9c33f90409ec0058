package com.rewards.analytics;

import static com.rewards.analytics.AnalyticsFixtures.newClientId;
import static com.rewards.analytics.AnalyticsFixtures.newUserId;
import static com.rewards.analytics.ParticipationTest.programHistory;
import static com.rewards.analytics.ParticipationTest.userHistory;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** End to end: drops through HTTP, Kafka and the consumer into the user's and program's figures. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class DropStatisticsTest {

  private static void drop(String c, String u, String eventId, String clientEventId) {
    var request =
        given()
            .header("user-jwt-token", TestTokens.user(c, u))
            .contentType(ContentType.JSON)
            .body(Map.of("score", 10));
    if (clientEventId != null) {
      request.header("X-Client-Event-Id", clientEventId);
    }
    request.post("/fe/analytics/px-tracker/events/" + eventId + "/drop").then().statusCode(200);
  }

  @Test
  void droppedEventsShowUpInTheStatisticsOnceEach() {
    String c = newClientId();
    String u = newUserId();
    String retried = UUID.randomUUID().toString();
    drop(c, u, "level_up", retried);
    drop(c, u, "level_up", retried);
    drop(c, u, "level_up", null);
    drop(c, u, "shop_open", null);

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String range = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1) + "&granularity=day";
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertEquals(3, userHistory(c, u, range).getInt("totals.events_dropped")));
    JsonPath mine = userHistory(c, u, range);
    assertEquals(Map.of("level_up", 2, "shop_open", 1), mine.getMap("totals.events_by_id"));
    assertEquals(1, mine.getInt("totals.active_days"));
    JsonPath program = programHistory(c, range);
    assertEquals(3, program.getInt("totals.events_dropped"));
    assertEquals(1, program.getInt("totals.active_users"));
  }
}
