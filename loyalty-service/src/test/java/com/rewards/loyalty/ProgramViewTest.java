package com.rewards.loyalty;

import static com.rewards.loyalty.LoyaltyFixtures.asServer;
import static com.rewards.loyalty.LoyaltyFixtures.asUser;
import static com.rewards.loyalty.LoyaltyFixtures.buy;
import static com.rewards.loyalty.LoyaltyFixtures.earnEntry;
import static com.rewards.loyalty.LoyaltyFixtures.newClientId;
import static com.rewards.loyalty.LoyaltyFixtures.newUserId;
import static com.rewards.loyalty.LoyaltyFixtures.program;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ProgramViewTest {

  @Test
  void getprogIsPublicAndShowsOnlyWhatIsOpenNow() {
    given().get("/partner/getprog").then().statusCode(400).body("code", equalTo("BAD_REQUEST"));
    given().get("/partner/getprog?client_id=bad id!").then().statusCode(400);
    given()
        .get("/partner/getprog?client_id=" + newClientId())
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", equalTo("RECORD_NOT_FOUND"));

    String clientId = newClientId();
    program(
        clientId,
        Map.of(
            "name", "Coffee miles",
            "points_name", "beans",
            "expiry_days", 90,
            "pending_days", 0,
            "daily_points_cap", 300));
    Instant now = Instant.now();
    LoyaltyFixtures.action(
        clientId,
        Map.of(
            "code", "visit",
            "name", "Visit",
            "description", "Come by",
            "points", 10,
            "max_per_user_day", 1));
    LoyaltyFixtures.action(clientId, "retired", 5);
    asServer(clientId).delete("/manage/v1/actions/retired").then().statusCode(204);
    LoyaltyFixtures.action(
        clientId,
        Map.of(
            "code",
            "later",
            "name",
            "Later",
            "points",
            5,
            "starts_at",
            now.plus(1, ChronoUnit.DAYS).toString()));
    LoyaltyFixtures.action(
        clientId,
        Map.of(
            "code",
            "over",
            "name",
            "Over",
            "points",
            5,
            "starts_at",
            now.minus(2, ChronoUnit.DAYS).toString(),
            "ends_at",
            now.minus(1, ChronoUnit.DAYS).toString()));
    LoyaltyFixtures.gift(clientId, "Mug", 50, 3);
    String hat = LoyaltyFixtures.gift(clientId, "Hat", 20, null);
    asServer(clientId).delete("/manage/v1/gifts/" + hat).then().statusCode(204);
    LoyaltyFixtures.gift(
        clientId,
        Map.of("name", "Bag", "cost", 10, "starts_at", now.plus(1, ChronoUnit.DAYS).toString()));

    for (String method : List.of("GET", "POST")) {
      given()
          .queryParam("client_id", clientId)
          .request(method, "/partner/getprog")
          .then()
          .statusCode(200)
          .body("data.program.client_id", equalTo(clientId))
          .body("data.program.name", equalTo("Coffee miles"))
          .body("data.program.points_name", equalTo("beans"))
          .body("data.program.expiry_days", equalTo(90))
          .body("data.program.pending_days", equalTo(0))
          .body("data.program.daily_points_cap", equalTo(300))
          .body("data.actions.code", contains("visit"))
          .body("data.actions[0].name", equalTo("Visit"))
          .body("data.actions[0].description", equalTo("Come by"))
          .body("data.actions[0].points", equalTo(10))
          .body("data.actions[0].max_per_user_day", equalTo(1))
          .body("data.gifts.name", contains("Mug"))
          .body("data.gifts[0].cost", equalTo(50))
          .body("data.gifts[0].stock", equalTo(3))
          .body("data.gifts[0]", not(hasKey("available")))
          .body("data", not(hasKey("user")));
    }
  }

  @Test
  void initialCheckStoreNeedsAUserToken() {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Miles"));
    given().get("/partner/initialcheckstore").then().statusCode(401);
    asServer(clientId).get("/partner/initialcheckstore").then().statusCode(403);
    asUser(newClientId(), newUserId())
        .get("/partner/initialcheckstore")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
  }

  @Test
  void initialCheckStoreAddsTheUsersPointsHistoryAndOffers() {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Miles"));
    LoyaltyFixtures.action(clientId, "visit", 10);
    String mug = LoyaltyFixtures.gift(clientId, "Mug", 30, 5);
    String userId = newUserId();

    asUser(clientId, userId)
        .get("/partner/initialcheckstore")
        .then()
        .statusCode(200)
        .body("data.program.name", equalTo("Miles"))
        .body("data.actions.code", contains("visit"))
        .body("data.user.user_id", equalTo(userId))
        .body("data.user.balance", equalTo(0))
        .body("data.user.history.earns_count", equalTo(0))
        .body("data.user.history.last_earns", empty())
        .body("data.user.history.last_burns", empty())
        .body("data.gifts[0].available", equalTo(false))
        .body("data.gifts[0].unavailable_code", equalTo("INSUFFICIENT_POINTS"));

    List<Long> entries = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      entries.add(earnEntry(clientId, userId, "visit"));
    }
    buy(clientId, userId, mug);
    // Another user's points never show up here.
    earnEntry(clientId, newUserId(), "visit");

    for (String method : List.of("GET", "POST")) {
      JsonPath data =
          asUser(clientId, userId)
              .request(method, "/partner/initialcheckstore")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .setRootPath("data");
      assertEquals(40, data.getLong("user.balance"));
      assertEquals(0, data.getLong("user.pending"));
      assertEquals(70, data.getLong("user.lifetime_earned"));
      assertEquals(30, data.getLong("user.lifetime_burned"));
      assertEquals(7, data.getLong("user.history.earns_count"));
      assertEquals(1, data.getLong("user.history.burns_count"));
      List<Long> lastEarns = data.getList("user.history.last_earns.id", Long.class);
      assertEquals(
          List.of(entries.get(6), entries.get(5), entries.get(4), entries.get(3), entries.get(2)),
          lastEarns);
      assertEquals("Action visit", data.getString("user.history.last_earns[0].action_name"));
      assertEquals("Mug", data.getString("user.history.last_burns[0].gift_name"));
      assertEquals("completed", data.getString("user.history.last_burns[0].state"));
      assertEquals(mug, data.getString("gifts[0].id"));
      assertEquals(4, data.getInt("gifts[0].stock"));
      assertEquals(true, data.getBoolean("gifts[0].available"));
    }
  }

  @Test
  void pendingPointsShowAsPending() {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Miles", "pending_days", 2));
    LoyaltyFixtures.action(clientId, "visit", 10);
    String userId = newUserId();
    earnEntry(clientId, userId, "visit");
    asUser(clientId, userId)
        .get("/partner/initialcheckstore")
        .then()
        .statusCode(200)
        .body("data.program.pending_days", equalTo(2))
        .body("data.user.balance", equalTo(0))
        .body("data.user.pending", equalTo(10))
        .body("data.user.history.last_earns[0].pending", equalTo(true))
        .body("data.user.history.last_earns[0].kind", equalTo("earn"));
  }
}
