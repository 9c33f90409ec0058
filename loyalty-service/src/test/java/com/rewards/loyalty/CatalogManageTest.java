package com.rewards.loyalty;

import static com.rewards.loyalty.LoyaltyFixtures.asServer;
import static com.rewards.loyalty.LoyaltyFixtures.asUser;
import static com.rewards.loyalty.LoyaltyFixtures.newClientId;
import static com.rewards.loyalty.LoyaltyFixtures.newUserId;
import static com.rewards.loyalty.LoyaltyFixtures.program;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class CatalogManageTest {

  @Test
  void manageRoutesNeedAServerToken() {
    String clientId = newClientId();
    String userToken = TestTokens.user(clientId, newUserId());
    for (String path :
        List.of(
            "/manage/v1/program",
            "/manage/v1/actions",
            "/manage/v1/gifts",
            "/manage/v1/ads",
            "/manage/v1/ledger/reconcile")) {
      given().get(path).then().statusCode(401).contentType("application/problem+json");
      given().auth().oauth2(userToken).get(path).then().statusCode(403);
    }
    given()
        .auth()
        .oauth2(userToken)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "Mine now"))
        .put("/manage/v1/program")
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    asServer(clientId).get("/manage/v1/program").then().statusCode(404);
  }

  @Test
  void programIsUpsertedAndValidated() {
    String clientId = newClientId();
    asServer(clientId)
        .get("/manage/v1/program")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));

    asServer(clientId)
        .body(
            Map.of(
                "name", "Miles",
                "points_name", "miles",
                "expiry_days", 365,
                "pending_days", 2,
                "daily_points_cap", 500))
        .put("/manage/v1/program")
        .then()
        .statusCode(201)
        .body("client_id", equalTo(clientId))
        .body("name", equalTo("Miles"))
        .body("points_name", equalTo("miles"))
        .body("expiry_days", equalTo(365))
        .body("pending_days", equalTo(2))
        .body("daily_points_cap", equalTo(500));

    // PUT replaces: absent rules go back to their defaults.
    asServer(clientId)
        .body(Map.of("name", "Miles 2"))
        .put("/manage/v1/program")
        .then()
        .statusCode(200)
        .body("name", equalTo("Miles 2"))
        .body("points_name", equalTo("points"))
        .body("expiry_days", nullValue())
        .body("pending_days", equalTo(0))
        .body("daily_points_cap", nullValue());

    List<Map<String, Object>> invalid =
        List.of(
            Map.of("name", ""),
            Map.of("name", "x".repeat(201)),
            Map.of("name", "ok", "points_name", ""),
            Map.of("name", "ok", "points_name", "x".repeat(51)),
            Map.of("name", "ok", "expiry_days", 0),
            Map.of("name", "ok", "expiry_days", 3651),
            Map.of("name", "ok", "pending_days", -1),
            Map.of("name", "ok", "pending_days", 366),
            Map.of("name", "ok", "daily_points_cap", 0),
            Map.of("name", "ok", "daily_points_cap", 1_000_000_001L),
            Map.of("points_name", "miles"));
    for (Map<String, Object> body : invalid) {
      asServer(clientId)
          .body(body)
          .put("/manage/v1/program")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", equalTo("BAD_REQUEST"));
    }
    asServer(clientId).body("{not json").put("/manage/v1/program").then().statusCode(400);
    asServer(clientId).put("/manage/v1/program").then().statusCode(400);

    asServer(clientId)
        .get("/manage/v1/program")
        .then()
        .statusCode(200)
        .body("name", equalTo("Miles 2"))
        .body("created_at", notNullValue());
  }

  @Test
  void concurrentFirstPutsCreateOneProgram() throws Exception {
    String clientId = newClientId();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Integer>> puts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String name = "Program " + i;
        puts.add(
            CompletableFuture.supplyAsync(
                () ->
                    asServer(clientId)
                        .body(Map.of("name", name))
                        .put("/manage/v1/program")
                        .then()
                        .extract()
                        .statusCode(),
                pool));
      }
      List<Integer> statuses = new ArrayList<>();
      for (var f : puts) {
        statuses.add(f.get());
      }
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
      assertEquals(7, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theCatalogNeedsAProgramFirst() {
    String clientId = newClientId();
    asServer(clientId)
        .body(Map.of("code", "visit", "name", "Visit", "points", 10))
        .post("/manage/v1/actions")
        .then()
        .statusCode(409)
        .body("code", equalTo("PROGRAM_REQUIRED"));
    asServer(clientId)
        .body(Map.of("name", "Mug", "cost", 10))
        .post("/manage/v1/gifts")
        .then()
        .statusCode(409)
        .body("code", equalTo("PROGRAM_REQUIRED"));
    asServer(clientId)
        .body(Map.of("kind", "news", "title", "Hello"))
        .post("/manage/v1/ads")
        .then()
        .statusCode(409)
        .body("code", equalTo("PROGRAM_REQUIRED"));
  }

  @Test
  void actionsAreCreatedUpdatedAndDeactivated() {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Miles"));
    asServer(clientId)
        .body(
            Map.of(
                "code", "visit",
                "name", "Visit",
                "description", "Come to the shop",
                "points", 10,
                "max_per_user_day", 5))
        .post("/manage/v1/actions")
        .then()
        .statusCode(201)
        .body("id", notNullValue())
        .body("code", equalTo("visit"))
        .body("points", equalTo(10))
        .body("max_per_user", nullValue())
        .body("max_per_user_day", equalTo(5))
        .body("active", equalTo(true));
    asServer(clientId)
        .body(Map.of("code", "visit", "name", "Again", "points", 1))
        .post("/manage/v1/actions")
        .then()
        .statusCode(409)
        .body("code", equalTo("ACTION_CODE_TAKEN"));

    Instant now = Instant.now();
    List<Map<String, Object>> invalid =
        List.of(
            Map.of("code", "a1", "name", "x", "points", 0),
            Map.of("code", "a1", "name", "x", "points", -5),
            Map.of("code", "a1", "name", "x", "points", 1_000_000_001L),
            Map.of("code", "a1", "name", "x", "points", 1, "max_per_user", 0),
            Map.of("code", "a1", "name", "x", "points", 1, "max_per_user_day", 0),
            Map.of("code", "bad code!", "name", "x", "points", 1),
            Map.of("code", "a1", "points", 1),
            Map.of("name", "no code", "points", 1),
            Map.of("code", "a1", "name", "x"),
            Map.of(
                "code",
                "a1",
                "name",
                "x",
                "points",
                1,
                "starts_at",
                now.toString(),
                "ends_at",
                now.minus(1, ChronoUnit.HOURS).toString()));
    for (Map<String, Object> body : invalid) {
      asServer(clientId)
          .body(body)
          .post("/manage/v1/actions")
          .then()
          .statusCode(400)
          .body("code", equalTo("BAD_REQUEST"));
    }
    // Not a date at all: refused by the JSON reader before validation.
    asServer(clientId)
        .body(Map.of("code", "a1", "name", "x", "points", 1, "starts_at", "tomorrow"))
        .post("/manage/v1/actions")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("BAD_REQUEST"));
    asServer(clientId).get("/manage/v1/actions/a1").then().statusCode(404);

    asServer(clientId)
        .get("/manage/v1/actions")
        .then()
        .statusCode(200)
        .body("actions.code", contains("visit"));
    asServer(clientId)
        .get("/manage/v1/actions/visit")
        .then()
        .statusCode(200)
        .body("name", equalTo("Visit"));
    asServer(clientId)
        .get("/manage/v1/actions/nope")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));

    asServer(clientId)
        .body(Map.of("name", "Visit the shop", "points", 20))
        .put("/manage/v1/actions/visit")
        .then()
        .statusCode(200)
        .body("name", equalTo("Visit the shop"))
        .body("points", equalTo(20))
        .body("max_per_user_day", nullValue());
    asServer(clientId)
        .body(Map.of("code", "other", "name", "x", "points", 20))
        .put("/manage/v1/actions/visit")
        .then()
        .statusCode(400);
    asServer(clientId)
        .body(Map.of("name", "x", "points", 0))
        .put("/manage/v1/actions/visit")
        .then()
        .statusCode(400);

    String userId = newUserId();
    asUser(clientId, userId)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then()
        .statusCode(200)
        .body("data.points", equalTo(20));

    asServer(clientId).delete("/manage/v1/actions/visit").then().statusCode(204);
    asServer(clientId)
        .get("/manage/v1/actions/visit")
        .then()
        .statusCode(200)
        .body("active", equalTo(false));
    asUser(clientId, userId)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then()
        .statusCode(409)
        .body("code", equalTo("ACTION_NOT_AVAILABLE"));
    // The ledger still names the code, so it stays taken.
    asServer(clientId)
        .body(Map.of("code", "visit", "name", "Visit", "points", 5))
        .post("/manage/v1/actions")
        .then()
        .statusCode(409)
        .body("code", equalTo("ACTION_CODE_TAKEN"));
    asServer(clientId).delete("/manage/v1/actions/nope").then().statusCode(404);
  }

  @Test
  void concurrentCreatesOfOneCodeLeaveExactlyOne() throws Exception {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Miles"));
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<CompletableFuture<Integer>> creates = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        creates.add(
            CompletableFuture.supplyAsync(
                () ->
                    asServer(clientId)
                        .body(Map.of("code", "race", "name", "Race", "points", 1))
                        .post("/manage/v1/actions")
                        .then()
                        .extract()
                        .statusCode(),
                pool));
      }
      List<Integer> statuses = new ArrayList<>();
      for (var f : creates) {
        statuses.add(f.get());
      }
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
      assertEquals(9, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    } finally {
      pool.shutdownNow();
    }
    asServer(clientId).get("/manage/v1/actions").then().body("actions.code", contains("race"));
  }

  @Test
  void giftsAndTheirStock() {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Miles"));
    String mug =
        asServer(clientId)
            .body(
                Map.of(
                    "name", "Mug",
                    "cost", 100,
                    "stock", 5,
                    "max_per_user", 2,
                    "image_url", "https://img.example/mug.png",
                    "position", 3))
            .post("/manage/v1/gifts")
            .then()
            .statusCode(201)
            .body("name", equalTo("Mug"))
            .body("cost", equalTo(100))
            .body("stock", equalTo(5))
            .body("max_per_user", equalTo(2))
            .body("position", equalTo(3))
            .body("active", equalTo(true))
            .extract()
            .path("id");
    asServer(clientId)
        .body(Map.of("name", "Pen", "cost", 5))
        .post("/manage/v1/gifts")
        .then()
        .statusCode(201)
        .body("stock", nullValue());

    Instant now = Instant.now();
    List<Map<String, Object>> invalid =
        List.of(
            Map.of("name", "x", "cost", 0),
            Map.of("name", "x", "cost", 1_000_000_001L),
            Map.of("name", "x"),
            Map.of("cost", 10),
            Map.of("name", "x", "cost", 10, "stock", -1),
            Map.of("name", "x", "cost", 10, "max_per_user", 0),
            Map.of("name", "x", "cost", 10, "image_url", "ftp://img.example/x"),
            Map.of(
                "name", "x", "cost", 10, "starts_at", now.toString(), "ends_at", now.toString()));
    for (Map<String, Object> body : invalid) {
      asServer(clientId).body(body).post("/manage/v1/gifts").then().statusCode(400);
    }

    asServer(clientId)
        .body(Map.of("stock", 7))
        .post("/manage/v1/gifts/" + mug + "/stock")
        .then()
        .statusCode(200)
        .body("stock", equalTo(7));
    Map<String, Object> unlimited = new HashMap<>();
    unlimited.put("stock", null);
    asServer(clientId)
        .body(unlimited)
        .patch("/manage/v1/gifts/" + mug + "/stock")
        .then()
        .statusCode(200)
        .body("stock", nullValue());
    asServer(clientId)
        .body(Map.of())
        .post("/manage/v1/gifts/" + mug + "/stock")
        .then()
        .statusCode(400);
    asServer(clientId)
        .body(Map.of("stock", -1))
        .post("/manage/v1/gifts/" + mug + "/stock")
        .then()
        .statusCode(400);
    asServer(clientId)
        .body(Map.of("stock", 3))
        .post("/manage/v1/gifts/" + mug + "/stock")
        .then()
        .statusCode(200);

    // An edit that does not name the stock leaves what buyers left.
    asServer(clientId)
        .body(Map.of("name", "Big mug", "cost", 120))
        .put("/manage/v1/gifts/" + mug)
        .then()
        .statusCode(200)
        .body("name", equalTo("Big mug"))
        .body("cost", equalTo(120))
        .body("stock", equalTo(3))
        .body("max_per_user", nullValue());
    asServer(clientId)
        .body(Map.of("name", "Big mug", "cost", 120, "stock", 9))
        .put("/manage/v1/gifts/" + mug)
        .then()
        .statusCode(200)
        .body("stock", equalTo(9));
    asServer(clientId)
        .get("/manage/v1/gifts/" + mug)
        .then()
        .statusCode(200)
        .body("stock", equalTo(9));
    asServer(clientId)
        .get("/manage/v1/gifts")
        .then()
        .statusCode(200)
        .body("gifts.name", contains("Big mug", "Pen"));

    String userId = newUserId();
    asUser(clientId, userId).get("/gift/list").then().body("data.gifts.id", hasItem(mug));
    asServer(clientId).delete("/manage/v1/gifts/" + mug).then().statusCode(204);
    asServer(clientId)
        .get("/manage/v1/gifts/" + mug)
        .then()
        .statusCode(200)
        .body("active", equalTo(false));
    asUser(clientId, userId).get("/gift/list").then().body("data.gifts.id", not(hasItem(mug)));
    given()
        .get("/partner/getprog?client_id=" + clientId)
        .then()
        .statusCode(200)
        .body("data.gifts.name", contains("Pen"));

    asServer(clientId).get("/manage/v1/gifts/not-a-uuid").then().statusCode(404);
    asServer(clientId)
        .get("/manage/v1/gifts/" + java.util.UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
  }

  @Test
  void adsAreManagedAndShownLiveByPosition() {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Miles"));
    Instant now = Instant.now();
    String b2 = ad(clientId, Map.of("kind", "bonus", "title", "B2", "position", 2));
    String b1 =
        ad(
            clientId,
            Map.of(
                "kind", "bonus",
                "title", "B1",
                "position", 1,
                "body", "Double points",
                "link_url", "https://shop.example/bonus"));
    ad(
        clientId,
        Map.of(
            "kind", "bonus",
            "title", "Future",
            "starts_at", now.plus(1, ChronoUnit.DAYS).toString()));
    ad(
        clientId,
        Map.of(
            "kind",
            "bonus",
            "title",
            "Over",
            "starts_at",
            now.minus(2, ChronoUnit.DAYS).toString(),
            "ends_at",
            now.minus(1, ChronoUnit.DAYS).toString()));
    ad(clientId, Map.of("kind", "specials", "title", "S"));
    ad(clientId, Map.of("kind", "news", "title", "N"));

    asServer(clientId)
        .body(Map.of("kind", "promo", "title", "x"))
        .post("/manage/v1/ads")
        .then()
        .statusCode(400);
    asServer(clientId).body(Map.of("kind", "news")).post("/manage/v1/ads").then().statusCode(400);
    asServer(clientId)
        .body(Map.of("kind", "news", "title", "x", "link_url", "javascript:alert(1)"))
        .post("/manage/v1/ads")
        .then()
        .statusCode(400);

    String userId = newUserId();
    asUser(clientId, userId)
        .get("/ad/bonus")
        .then()
        .statusCode(200)
        .body("data.ads.title", contains("B1", "B2"))
        .body("data.ads[0].body", equalTo("Double points"))
        .body("data.ads[0].link_url", equalTo("https://shop.example/bonus"));
    asUser(clientId, userId)
        .get("/ad/specials")
        .then()
        .statusCode(200)
        .body("data.ads.title", contains("S"));
    asUser(clientId, userId)
        .post("/ad/news")
        .then()
        .statusCode(200)
        .body("data.ads.title", contains("N"));
    given().get("/ad/bonus").then().statusCode(401);
    asServer(clientId).get("/ad/bonus").then().statusCode(403);
    asUser(newClientId(), userId).get("/ad/bonus").then().statusCode(200).body("data.ads", empty());

    asServer(clientId)
        .body(Map.of("kind", "bonus", "title", "B2 first", "position", 0))
        .put("/manage/v1/ads/" + b2)
        .then()
        .statusCode(200)
        .body("title", equalTo("B2 first"));
    asUser(clientId, userId)
        .get("/ad/bonus")
        .then()
        .body("data.ads.title", contains("B2 first", "B1"));

    asServer(clientId).delete("/manage/v1/ads/" + b1).then().statusCode(204);
    asServer(clientId).get("/manage/v1/ads/" + b1).then().statusCode(404);
    asServer(clientId).delete("/manage/v1/ads/" + b1).then().statusCode(404);
    asUser(clientId, userId).get("/ad/bonus").then().body("data.ads.title", contains("B2 first"));
    asServer(clientId).get("/manage/v1/ads").then().statusCode(200).body("ads.size()", equalTo(5));
  }

  @Test
  void anotherPartnersCatalogIsNotFound() {
    String owner = newClientId();
    program(owner, Map.of("name", "Owner miles"));
    LoyaltyFixtures.action(owner, "visit", 10);
    String gift = LoyaltyFixtures.gift(owner, "Mug", 10, 5);
    String ad = ad(owner, Map.of("kind", "news", "title", "Owner news"));

    String other = newClientId();
    program(other, Map.of("name", "Other miles"));
    Map<String, Object> action = Map.of("name", "Stolen", "points", 1);
    Map<String, Object> giftBody = Map.of("name", "Stolen", "cost", 1);
    Map<String, Object> adBody = Map.of("kind", "news", "title", "Stolen");

    asServer(other).get("/manage/v1/actions/visit").then().statusCode(404);
    asServer(other).body(action).put("/manage/v1/actions/visit").then().statusCode(404);
    asServer(other).delete("/manage/v1/actions/visit").then().statusCode(404);
    asServer(other).get("/manage/v1/gifts/" + gift).then().statusCode(404);
    asServer(other).body(giftBody).put("/manage/v1/gifts/" + gift).then().statusCode(404);
    asServer(other)
        .body(Map.of("stock", 0))
        .post("/manage/v1/gifts/" + gift + "/stock")
        .then()
        .statusCode(404);
    asServer(other).delete("/manage/v1/gifts/" + gift).then().statusCode(404);
    asServer(other).get("/manage/v1/ads/" + ad).then().statusCode(404);
    asServer(other).body(adBody).put("/manage/v1/ads/" + ad).then().statusCode(404);
    asServer(other).delete("/manage/v1/ads/" + ad).then().statusCode(404);
    asServer(other).get("/manage/v1/actions").then().body("actions", empty());
    asServer(other).get("/manage/v1/gifts").then().body("gifts", empty());
    asServer(other).get("/manage/v1/ads").then().body("ads", empty());

    asServer(owner)
        .get("/manage/v1/actions/visit")
        .then()
        .body("name", equalTo("Action visit"))
        .body("active", equalTo(true));
    asServer(owner)
        .get("/manage/v1/gifts/" + gift)
        .then()
        .body("name", equalTo("Mug"))
        .body("stock", equalTo(5))
        .body("active", equalTo(true));
    asServer(owner).get("/manage/v1/ads/" + ad).then().body("title", equalTo("Owner news"));
  }

  private static String ad(String clientId, Map<String, Object> body) {
    return asServer(clientId)
        .body(body)
        .post("/manage/v1/ads")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }
}
