package com.rewards.analytics;

import static com.rewards.analytics.AnalyticsFixtures.burned;
import static com.rewards.analytics.AnalyticsFixtures.chargeSucceeded;
import static com.rewards.analytics.AnalyticsFixtures.dropped;
import static com.rewards.analytics.AnalyticsFixtures.earned;
import static com.rewards.analytics.AnalyticsFixtures.giftRedeemed;
import static com.rewards.analytics.AnalyticsFixtures.key;
import static com.rewards.analytics.AnalyticsFixtures.newClientId;
import static com.rewards.analytics.AnalyticsFixtures.newUserId;
import static com.rewards.analytics.AnalyticsFixtures.publish;
import static com.rewards.analytics.AnalyticsFixtures.referral;
import static com.rewards.analytics.AnalyticsFixtures.userEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Statistics built from every domain topic, checked through both history endpoints. The events are
 * dated in the past so the buckets are known: 2024-01-01 is a Monday.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ParticipationTest {
  static final Instant MON_JAN_1 = Instant.parse("2024-01-01T09:00:00Z");
  static final Instant WED_JAN_3 = Instant.parse("2024-01-03T23:59:59Z");
  static final Instant TUE_JAN_9 = Instant.parse("2024-01-09T00:00:00Z");
  static final Instant THU_FEB_1 = Instant.parse("2024-02-01T12:00:00Z");

  static JsonPath userHistory(String clientId, String userId, String query) {
    return given()
        .header("user-jwt-token", TestTokens.user(clientId, userId))
        .get("/fe/analytics/participation/history?" + query)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static JsonPath programHistory(String clientId, String query) {
    return given()
        .auth()
        .oauth2(TestTokens.server(clientId))
        .get("/manage/v1/analytics/participation?" + query)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void everyTopicFeedsTheStatisticsOnceAndEachUserSeesOnlyTheirOwn() {
    String c = newClientId();
    String a = newUserId();
    String b = newUserId();

    // A: an action and a drop on Monday; two drops, a gift bought on Wednesday.
    String earn = earned(c, a, 30, "action", MON_JAN_1);
    publish("loyalty.ledger.v1", key(c, a), earn); // redelivered: counts once
    String drop = dropped(c, a, "level_up", MON_JAN_1);
    publish("analytics.px-events.v1", key(c, a), drop); // redelivered: counts once
    dropped(c, a, "level_up", WED_JAN_3);
    dropped(c, a, "open", WED_JAN_3);
    burned(c, a, 20, WED_JAN_3);
    giftRedeemed(c, a, WED_JAN_3);
    // B: points from a referral on Monday (not B's doing), a drop and applying A's code next week.
    earned(c, b, 10, "referral", MON_JAN_1);
    dropped(c, b, "open", TUE_JAN_9);
    referral("referral.referral.applied.v1", c, a, b, TUE_JAN_9);
    // February: the referral converts, B is charged; B's sign-up event arrives late.
    referral("referral.referral.converted.v1", c, a, b, THU_FEB_1);
    chargeSucceeded(c, b, THU_FEB_1);
    userEvent("auth.user.created.v1", c, b, THU_FEB_1);
    // An event type analytics does not know is skipped, not dead-lettered.
    publish(
        "loyalty.ledger.v1",
        key(c, a),
        AnalyticsFixtures.event(
            "x-" + newUserId(), "loyalty.points.teleported.v1", c, MON_JAN_1, Map.of()));

    String months = "from=2024-01-01&to=2024-02-29&granularity=month";
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonPath p = programHistory(c, months);
              assertEquals(4, p.getInt("buckets[0].events_dropped"));
              assertEquals(20, p.getInt("buckets[0].points_burned"));
              assertEquals(1, p.getInt("buckets[0].gifts_redeemed"));
              assertEquals(1, p.getInt("buckets[0].referrals_applied"));
              assertEquals(1, p.getInt("buckets[1].referrals_converted"));
              assertEquals(1, p.getInt("buckets[1].charges_succeeded"));
              assertEquals(1, p.getInt("buckets[1].new_users"));
              assertEquals(40, p.getInt("buckets[0].points_earned"));
            });

    // Program, by month: totals of both users, distinct active users.
    JsonPath p = programHistory(c, months);
    assertEquals("month", p.getString("granularity"));
    assertEquals("UTC", p.getString("timezone"));
    assertEquals(List.of("2024-01-01", "2024-02-01"), p.getList("buckets.start"));
    assertEquals(List.of("2024-01-31", "2024-02-29"), p.getList("buckets.end"));
    assertEquals(1, p.getInt("buckets[0].actions_completed"));
    assertEquals(40, p.getInt("buckets[0].points_earned"), "a redelivered earn counts once");
    assertEquals(4, p.getInt("buckets[0].events_dropped"), "a redelivered drop counts once");
    assertEquals(Map.of("level_up", 2, "open", 2), p.getMap("buckets[0].events_by_id"));
    assertEquals(2, p.getInt("buckets[0].active_users"));
    assertEquals(1, p.getInt("buckets[1].active_users"), "B signed up in February");
    assertEquals(2, p.getInt("totals.active_users"));
    assertEquals(4, p.getInt("totals.events_dropped"));
    assertEquals(1, p.getInt("totals.new_users"));

    // Program, by week: a user active on three days of a week counts once.
    JsonPath weeks = programHistory(c, "from=2024-01-01&to=2024-01-14&granularity=week");
    assertEquals(List.of("2024-01-01", "2024-01-08"), weeks.getList("buckets.start"));
    assertEquals(List.of(1, 1), weeks.getList("buckets.active_users"));
    assertEquals(List.of(3, 1), weeks.getList("buckets.events_dropped"));

    // A, by day: every day of the range, empty ones with zeros.
    JsonPath days = userHistory(c, a, "from=2024-01-01&to=2024-01-03&granularity=day");
    assertEquals(List.of("2024-01-01", "2024-01-02", "2024-01-03"), days.getList("buckets.start"));
    assertEquals(List.of(1, 0, 2), days.getList("buckets.events_dropped"));
    assertEquals(List.of(1, 0, 0), days.getList("buckets.actions_completed"));
    assertEquals(List.of(30, 0, 0), days.getList("buckets.points_earned"));
    assertEquals(List.of(0, 0, 20), days.getList("buckets.points_burned"));
    assertEquals(List.of(0, 0, 1), days.getList("buckets.gifts_redeemed"));
    assertEquals(List.of(1, 0, 1), days.getList("buckets.active_days"));
    assertEquals(Map.of("level_up", 1, "open", 1), days.getMap("buckets[2].events_by_id"));
    assertEquals(Map.of(), days.getMap("buckets[1].events_by_id"));
    assertNull(days.get("buckets[0].active_users"), "users see no program figures");

    // A, by week, from a Wednesday: buckets are cut to the range.
    JsonPath aWeeks = userHistory(c, a, "from=2024-01-03&to=2024-01-09&granularity=week");
    assertEquals(List.of("2024-01-03", "2024-01-08"), aWeeks.getList("buckets.start"));
    assertEquals(List.of("2024-01-07", "2024-01-09"), aWeeks.getList("buckets.end"));
    assertEquals(List.of(2, 0), aWeeks.getList("buckets.events_dropped"));
    assertEquals(List.of(0, 0), aWeeks.getList("buckets.points_earned"), "Monday is outside");
    assertEquals(List.of(0, 1), aWeeks.getList("buckets.referrals_applied"));

    // A, by month: the referral of A's code applied in January, converted in February.
    JsonPath aMonths = userHistory(c, a, months);
    assertEquals(List.of(3, 0), aMonths.getList("buckets.events_dropped"));
    assertEquals(List.of(1, 0), aMonths.getList("buckets.referrals_applied"));
    assertEquals(List.of(0, 1), aMonths.getList("buckets.referrals_converted"));
    assertEquals(List.of(2, 0), aMonths.getList("buckets.active_days"));
    assertEquals(30, aMonths.getInt("totals.points_earned"));
    assertEquals(Map.of("level_up", 2, "open", 1), aMonths.getMap("totals.events_by_id"));

    // B sees only B's own figures.
    JsonPath bMonths = userHistory(c, b, months);
    assertEquals(List.of(1, 0), bMonths.getList("buckets.events_dropped"));
    assertEquals(List.of(10, 0), bMonths.getList("buckets.points_earned"));
    assertEquals(List.of(0, 0), bMonths.getList("buckets.actions_completed"));
    assertEquals(List.of(0, 0), bMonths.getList("buckets.referrals_applied"));
    assertEquals(List.of(0, 1), bMonths.getList("buckets.charges_succeeded"));
    assertEquals(List.of(1, 1), bMonths.getList("buckets.active_days"));
    assertEquals(Map.of("open", 1), bMonths.getMap("totals.events_by_id"));

    // Another partner's server sees none of it.
    JsonPath otherProgram = programHistory(newClientId(), months);
    assertEquals(0, otherProgram.getInt("totals.events_dropped"));
    assertEquals(0, otherProgram.getInt("totals.active_users"));
  }

  @Test
  void rangesAreValidatedAndRolesEnforced() {
    String c = newClientId();
    String u = newUserId();
    String user = TestTokens.user(c, u);
    for (String query :
        List.of(
            "from=2024-02-01&to=2024-01-01",
            "from=2023-01-01&to=2024-01-02",
            "from=2024-01-01&to=2024-01-02&granularity=year",
            "from=01/01/2024&to=2024-01-02",
            "from=2024-02-30")) {
      given()
          .header("user-jwt-token", user)
          .get("/fe/analytics/participation/history?" + query)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", equalTo("BAD_REQUEST"));
      given()
          .auth()
          .oauth2(TestTokens.server(c))
          .get("/manage/v1/analytics/participation?" + query)
          .then()
          .statusCode(400)
          .body("code", equalTo("BAD_REQUEST"));
    }
    // 366 days is the most: 2024 is a leap year.
    userHistory(c, u, "from=2024-01-01&to=2024-12-31&granularity=month");
    // Defaults: the last 30 days, by day.
    JsonPath defaults = userHistory(c, u, "granularity=day");
    assertEquals(30, defaults.getList("buckets").size());
    assertEquals("day", defaults.getString("granularity"));

    given().get("/fe/analytics/participation/history").then().statusCode(401);
    given().get("/manage/v1/analytics/participation").then().statusCode(401);
    given()
        .auth()
        .oauth2(TestTokens.server(c))
        .get("/fe/analytics/participation/history")
        .then()
        .statusCode(403);
    given()
        .header("user-jwt-token", user)
        .get("/manage/v1/analytics/participation")
        .then()
        .statusCode(403);
  }
}
