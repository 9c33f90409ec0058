package com.rewards.loyalty;

import static com.rewards.loyalty.LoyaltyFixtures.adjust;
import static com.rewards.loyalty.LoyaltyFixtures.asServer;
import static com.rewards.loyalty.LoyaltyFixtures.asUser;
import static com.rewards.loyalty.LoyaltyFixtures.buy;
import static com.rewards.loyalty.LoyaltyFixtures.earnEntry;
import static com.rewards.loyalty.LoyaltyFixtures.newClientId;
import static com.rewards.loyalty.LoyaltyFixtures.newUserId;
import static com.rewards.loyalty.LoyaltyFixtures.partnerWithAction;
import static com.rewards.loyalty.LoyaltyFixtures.program;
import static com.rewards.loyalty.LoyaltyFixtures.refund;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class HistoryAndInfoTest {
  @Inject AgroalDataSource db;

  @Test
  void historyEarnsPagesNewestFirstWithAHonestHasMore() {
    String clientId = partnerWithAction("visit", 10);
    String userId = newUserId();
    List<Long> entries = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      entries.add(earnEntry(clientId, userId, "visit"));
    }

    List<Long> seen = new ArrayList<>();
    String cursor = null;
    List<Boolean> hasMore = new ArrayList<>();
    do {
      var spec = asUser(clientId, userId).queryParam("limit", 3);
      if (cursor != null) {
        spec = spec.queryParam("cursor", cursor);
      }
      JsonPath page = spec.get("/user/historyearns").then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("data.items.id", Long.class));
      hasMore.add(page.getBoolean("data.has_more"));
      cursor = page.getString("data.next_cursor");
      assertEquals(page.getBoolean("data.has_more"), cursor != null);
    } while (cursor != null);

    assertEquals(List.of(true, true, false), hasMore);
    assertEquals(entries.reversed(), seen);

    JsonPath first =
        asUser(clientId, userId)
            .post("/user/historyearns")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .setRootPath("data");
    assertEquals(7, first.getList("items").size());
    assertFalse(first.getBoolean("has_more"));
    assertNull(first.get("next_cursor"));
    assertEquals("earn", first.getString("items[0].kind"));
    assertEquals(10, first.getLong("items[0].points"));
    assertEquals("action", first.getString("items[0].source_type"));
    assertEquals("visit", first.getString("items[0].source_ref"));
    assertEquals("Action visit", first.getString("items[0].action_name"));
    assertEquals(70, first.getLong("items[0].balance_after"));
    assertFalse(first.getBoolean("items[0].pending"));
    assertNotNull(first.getString("items[0].created_at"));
  }

  @Test
  void limitsAndCursorsAreValidatedAndClamped() {
    String clientId = partnerWithAction("visit", 1);
    String userId = newUserId();
    for (String path : List.of("/user/historyearns", "/user/historyburns")) {
      for (String limit : List.of("0", "-1", "abc", "1.5")) {
        asUser(clientId, userId)
            .queryParam("limit", limit)
            .get(path)
            .then()
            .statusCode(400)
            .body("code", equalTo("BAD_REQUEST"));
      }
      for (String cursor :
          List.of(
              "!!!",
              Base64.getUrlEncoder().encodeToString("foo".getBytes()),
              Base64.getUrlEncoder().encodeToString("e1|".getBytes()),
              Base64.getUrlEncoder().encodeToString("e1|x".getBytes()),
              Base64.getUrlEncoder().encodeToString("b1|yesterday|nope".getBytes()))) {
        asUser(clientId, userId)
            .queryParam("cursor", cursor)
            .get(path)
            .then()
            .statusCode(400)
            .body("code", equalTo("BAD_REQUEST"));
      }
    }

    // 101 earns: one more than page-max, so an oversized limit is cut to 100.
    for (int i = 0; i < 101; i++) {
      earnEntry(clientId, userId, "visit");
    }
    JsonPath page =
        asUser(clientId, userId)
            .queryParam("limit", 100000)
            .get("/user/historyearns")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(100, page.getList("data.items").size());
    assertTrue(page.getBoolean("data.has_more"));
    // A cursor of one list is refused by the other.
    asUser(clientId, userId)
        .queryParam("cursor", page.getString("data.next_cursor"))
        .get("/user/historyburns")
        .then()
        .statusCode(400);
    asUser(clientId, userId)
        .queryParam("cursor", page.getString("data.next_cursor"))
        .get("/user/historyearns")
        .then()
        .statusCode(200)
        .body("data.items.size()", equalTo(1))
        .body("data.has_more", equalTo(false));
    asUser(clientId, userId)
        .get("/user/historyearns")
        .then()
        .body("data.items.size()", equalTo(20))
        .body("data.has_more", equalTo(true));
  }

  @Test
  void historiesAreTheCallersOwn() {
    String clientId = partnerWithAction("visit", 10);
    String userId = newUserId();
    earnEntry(clientId, userId, "visit");
    earnEntry(clientId, userId, "visit");
    String other = newUserId();
    earnEntry(clientId, other, "visit");
    String gift = LoyaltyFixtures.gift(clientId, "Mug", 5, null);
    buy(clientId, userId, gift);

    asUser(clientId, other).get("/user/historyearns").then().body("data.items.size()", equalTo(1));
    asUser(clientId, other).get("/user/historyburns").then().body("data.items", empty());
    // Same user id in another partner: a different user.
    String elsewhere = partnerWithAction("visit", 10);
    asUser(elsewhere, userId).get("/user/historyearns").then().body("data.items", empty());
    asUser(elsewhere, userId).get("/user/historyburns").then().body("data.items", empty());

    given().get("/user/historyearns").then().statusCode(401);
    asServer(clientId).get("/user/historyearns").then().statusCode(403);
    asServer(clientId).get("/user/historyburns").then().statusCode(403);
  }

  @Test
  void burnsShowGiftsAndRefundsAndEarnsShowEveryCredit() {
    String clientId = partnerWithAction("visit", 100);
    String userId = newUserId();
    earnEntry(clientId, userId, "visit");
    String mug = LoyaltyFixtures.gift(clientId, "Mug", 30, 10);
    String cap = LoyaltyFixtures.gift(clientId, "Cap", 20, null);
    String mugRedemption = buy(clientId, userId, mug);
    String capRedemption = buy(clientId, userId, cap);
    refund(clientId, mugRedemption);
    adjust(clientId, userId, 5, "goodwill");
    adjust(clientId, userId, -3, "correction");

    JsonPath burns =
        asUser(clientId, userId)
            .get("/user/historyburns")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .setRootPath("data");
    assertEquals(List.of(capRedemption, mugRedemption), burns.getList("items.id"));
    assertEquals(List.of("Cap", "Mug"), burns.getList("items.gift_name"));
    assertEquals(List.of("completed", "refunded"), burns.getList("items.state"));
    assertEquals(List.of(20, 30), burns.getList("items.cost"));
    assertNull(burns.get("items[0].refunded_at"));
    assertNotNull(burns.get("items[1].refunded_at"));
    assertEquals(mug, burns.getString("items[1].gift_id"));

    JsonPath page1 =
        asUser(clientId, userId)
            .queryParam("limit", 1)
            .get("/user/historyburns")
            .then()
            .extract()
            .jsonPath()
            .setRootPath("data");
    assertEquals(List.of(capRedemption), page1.getList("items.id"));
    assertTrue(page1.getBoolean("has_more"));
    asUser(clientId, userId)
        .queryParam("limit", 1)
        .queryParam("cursor", page1.getString("next_cursor"))
        .post("/user/historyburns")
        .then()
        .statusCode(200)
        .body("data.items.id", org.hamcrest.Matchers.contains(mugRedemption))
        .body("data.has_more", equalTo(false))
        .body("data.next_cursor", nullValue());

    // Credits only: the deduction is not an earn.
    JsonPath earns =
        asUser(clientId, userId)
            .get("/user/historyearns")
            .then()
            .extract()
            .jsonPath()
            .setRootPath("data");
    assertEquals(List.of("adjust", "refund", "earn"), earns.getList("items.kind"));
    assertEquals(List.of(5, 30, 100), earns.getList("items.points"));
    assertEquals("goodwill", earns.getString("items[0].reason"));
    assertEquals(mugRedemption, earns.getString("items[1].source_ref"));
    assertNull(earns.get("items[1].action_name"));
  }

  @Test
  void infoAnswersOneKnownUserToTheServer() {
    String clientId = partnerWithAction("visit", 10);
    String userId = newUserId();
    earnEntry(clientId, userId, "visit");
    earnEntry(clientId, userId, "visit");
    buy(clientId, userId, LoyaltyFixtures.gift(clientId, "Pen", 5, null));

    for (String method : List.of("GET", "POST")) {
      asServer(clientId)
          .queryParam("user_id", userId)
          .request(method, "/user/info")
          .then()
          .statusCode(200)
          .body("data.user_id", equalTo(userId))
          .body("data.balance", equalTo(15))
          .body("data.pending", equalTo(0))
          .body("data.lifetime_earned", equalTo(20))
          .body("data.lifetime_burned", equalTo(5))
          .body("data.earns_count", equalTo(2))
          .body("data.burns_count", equalTo(1));
    }
    asServer(clientId).get("/user/info").then().statusCode(400);
    asServer(clientId).queryParam("user_id", "a___b").get("/user/info").then().statusCode(400);
    asServer(clientId)
        .queryParam("user_id", newUserId())
        .get("/user/info")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
    // The user exists, but in another partner.
    asServer(partnerWithAction("visit", 1))
        .queryParam("user_id", userId)
        .get("/user/info")
        .then()
        .statusCode(404);
    given().queryParam("user_id", userId).get("/user/info").then().statusCode(401);
    asUser(clientId, userId).queryParam("user_id", userId).get("/user/info").then().statusCode(403);
  }

  @Test
  void infosPagesThePartnersUsersByUserId() {
    String clientId = partnerWithAction("visit", 10);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // The cursor holds the last user id, separator and all.
      String userId = "u-" + i + "|" + java.util.UUID.randomUUID();
      users.add(userId);
      for (int j = 0; j <= i; j++) {
        earnEntry(clientId, userId, "visit");
      }
    }
    earnEntry(partnerWithAction("visit", 10), newUserId(), "visit");

    List<String> seen = new ArrayList<>();
    List<Long> balances = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var spec = asServer(clientId).queryParam("limit", 2);
      if (cursor != null) {
        spec = spec.queryParam("cursor", cursor);
      }
      JsonPath page = spec.get("/user/infos").then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("data.users.user_id", String.class));
      balances.addAll(page.getList("data.users.balance", Long.class));
      cursor = page.getString("data.next_cursor");
      assertEquals(page.getBoolean("data.has_more"), cursor != null);
      pages++;
    } while (cursor != null);
    assertEquals(3, pages);
    assertEquals(users.stream().sorted(Comparator.naturalOrder()).toList(), seen);
    assertEquals(List.of(10L, 20L, 30L, 40L, 50L), balances);

    asServer(clientId)
        .post("/user/infos")
        .then()
        .statusCode(200)
        .body("data.users.size()", equalTo(5))
        .body("data.users[0]", not(hasKey("earns_count")))
        .body("data.has_more", equalTo(false));
    asServer(clientId).queryParam("limit", 0).get("/user/infos").then().statusCode(400);
    asServer(clientId).queryParam("cursor", "%%%").get("/user/infos").then().statusCode(400);
    asUser(clientId, users.get(0)).get("/user/infos").then().statusCode(403);
  }

  @Test
  void reconcileProvesEveryBalanceAndReportsABrokenOne() throws Exception {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Miles"));
    LoyaltyFixtures.action(clientId, "visit", 50);
    String gift = LoyaltyFixtures.gift(clientId, "Mug", 30, null);
    String alice = "a-" + newUserId();
    String bob = "b-" + newUserId();
    earnEntry(clientId, alice, "visit");
    earnEntry(clientId, alice, "visit");
    String redemption = buy(clientId, alice, gift);
    buy(clientId, alice, gift);
    refund(clientId, redemption);
    adjust(clientId, alice, -7, "correction");
    earnEntry(clientId, bob, "visit");

    // Pending points are checked against the unreleased lots.
    String slow = newClientId();
    program(slow, Map.of("name", "Slow miles", "pending_days", 3));
    LoyaltyFixtures.action(slow, "visit", 10);
    earnEntry(slow, newUserId(), "visit");
    asServer(slow)
        .get("/manage/v1/ledger/reconcile")
        .then()
        .statusCode(200)
        .body("users_checked", equalTo(1))
        .body("consistent", equalTo(true));

    asServer(clientId)
        .get("/manage/v1/ledger/reconcile")
        .then()
        .statusCode(200)
        .body("users_checked", equalTo(2))
        .body("consistent", equalTo(true))
        .body("mismatches", empty());

    try (Connection c = db.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "update accounts set balance = balance + 7 where client_id = ? and user_id = ?")) {
      st.setString(1, clientId);
      st.setString(2, bob);
      assertEquals(1, st.executeUpdate());
    }

    asServer(clientId)
        .get("/manage/v1/ledger/reconcile")
        .then()
        .statusCode(200)
        .body("users_checked", equalTo(2))
        .body("consistent", equalTo(false))
        .body("mismatch_count", equalTo(1))
        .body("mismatches.size()", equalTo(1))
        .body("mismatches[0].user_id", equalTo(bob))
        .body("mismatches[0].balance", equalTo(57))
        .body("mismatches[0].pending", equalTo(0))
        .body("mismatches[0].ledger_sum", equalTo(50))
        .body("mismatches[0].released_lots", equalTo(50))
        .body("mismatches[0].pending_lots", equalTo(0));
    // Nobody else's report changes.
    asServer(slow).get("/manage/v1/ledger/reconcile").then().body("consistent", equalTo(true));
    asServer(newClientId())
        .get("/manage/v1/ledger/reconcile")
        .then()
        .statusCode(200)
        .body("users_checked", equalTo(0))
        .body("consistent", equalTo(true))
        .body("mismatches", notNullValue());
  }
}
