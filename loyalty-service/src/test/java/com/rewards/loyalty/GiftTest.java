package com.rewards.loyalty;

import static com.rewards.loyalty.LedgerFixtures.newClientId;
import static com.rewards.loyalty.LedgerFixtures.newUserId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class GiftTest {
  @Inject AgroalDataSource db;
  LedgerFixtures fx;
  String clientId;
  String userId;

  @BeforeEach
  void setUp() {
    fx = new LedgerFixtures(db);
    clientId = newClientId();
    userId = newUserId();
    fx.program(clientId, null, 0, null);
  }

  private ValidatableResponse buy(UUID gift, String query) {
    return given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .contentType(ContentType.JSON)
        .body(Map.of("gift_id", gift.toString()))
        .post("/gift/checkavailability" + query)
        .then();
  }

  @Test
  void buyingTakesPointsAndStockAndEveryRefusalChangesNothing() {
    UUID gift = fx.gift(clientId, 30, 1, null);
    buy(gift, "").statusCode(409).body("code", equalTo("INSUFFICIENT_POINTS"));
    LedgerFixtures.grant(clientId, userId, 100);

    buy(gift, "?dryRun=true")
        .statusCode(200)
        .body("data.dry_run", equalTo(true))
        .body("data.balance", equalTo(70));
    assertEquals(100, fx.balance(clientId, userId));
    assertEquals(1, fx.stock(gift));
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .contentType(ContentType.JSON)
        .body(Map.of("gift_id", gift.toString(), "dry_run", true))
        .post("/gift/checkavailability")
        .then()
        .statusCode(200)
        .body("data.dry_run", equalTo(true));
    assertEquals(100, fx.balance(clientId, userId));
    assertEquals(1, fx.stock(gift));

    buy(gift, "")
        .statusCode(200)
        .body("data.balance", equalTo(70))
        .body("data.state", equalTo("completed"));
    buy(gift, "").statusCode(409).body("code", equalTo("OUT_OF_STOCK"));
    buy(gift, "?dryRun=true").statusCode(409).body("code", equalTo("OUT_OF_STOCK"));
    assertEquals(70, fx.balance(clientId, userId));
    assertEquals(70, fx.ledgerSum(clientId, userId));

    UUID limited = fx.gift(clientId, 10, null, 2);
    buy(limited, "").statusCode(200);
    buy(limited, "").statusCode(200);
    buy(limited, "").statusCode(409).body("code", equalTo("LIMIT_REACHED"));
    assertEquals(50, fx.balance(clientId, userId));

    buy(UUID.randomUUID(), "").statusCode(404).body("code", equalTo("RECORD_NOT_FOUND"));
    UUID foreign = fx.gift(otherPartner(), 1, null, null);
    buy(foreign, "").statusCode(404);
  }

  @Test
  void giftListTellsEachGiftsAvailability() {
    UUID cheap = fx.gift(clientId, 10, null, null);
    UUID dear = fx.gift(clientId, 1000, null, null);
    UUID gone = fx.gift(clientId, 1, 0, null);
    LedgerFixtures.grant(clientId, userId, 50);
    var list =
        given()
            .auth()
            .oauth2(TestTokens.user(clientId, userId))
            .get("/gift/list")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(true, list.get("data.gifts.find { it.id == '" + cheap + "' }.available"));
    assertEquals(
        "INSUFFICIENT_POINTS",
        list.get("data.gifts.find { it.id == '" + dear + "' }.unavailable_code"));
    assertEquals(
        "OUT_OF_STOCK", list.get("data.gifts.find { it.id == '" + gone + "' }.unavailable_code"));
  }

  @Test
  void refundGivesPointsAndStockBackOnce() {
    UUID gift = fx.gift(clientId, 40, 5, null);
    LedgerFixtures.grant(clientId, userId, 40);
    String redemption = buy(gift, "").statusCode(200).extract().path("data.redemption_id");
    assertEquals(4, fx.stock(gift));

    var server = TestTokens.server(clientId);
    given()
        .auth()
        .oauth2(TestTokens.server(otherPartner()))
        .post("/manage/v1/redemptions/" + redemption + "/refund")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .post("/manage/v1/redemptions/" + redemption + "/refund")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(server)
        .post("/manage/v1/redemptions/" + redemption + "/refund")
        .then()
        .statusCode(200)
        .body("state", equalTo("refunded"))
        .body("balance", equalTo(40));
    given()
        .auth()
        .oauth2(server)
        .post("/manage/v1/redemptions/" + redemption + "/refund")
        .then()
        .statusCode(409)
        .body("code", equalTo("ALREADY_REFUNDED"));
    assertEquals(5, fx.stock(gift));
    assertEquals(40, fx.balance(clientId, userId));
    assertEquals(40, fx.ledgerSum(clientId, userId));
  }

  @Test
  void adjustmentsCannotOverdraw() {
    var server = TestTokens.server(clientId);
    LedgerFixtures.grant(clientId, userId, 10);
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("points", -11, "reason", "fix"))
        .post("/manage/v1/users/" + userId + "/adjustments")
        .then()
        .statusCode(409)
        .body("code", equalTo("INSUFFICIENT_POINTS"));
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("points", 0, "reason", "fix"))
        .post("/manage/v1/users/" + userId + "/adjustments")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("points", -4, "reason", "fix"))
        .post("/manage/v1/users/" + userId + "/adjustments")
        .then()
        .statusCode(200)
        .body("balance", equalTo(6));
    assertEquals(6, fx.ledgerSum(clientId, userId));
  }

  private String otherPartner() {
    String other = newClientId();
    fx.program(other, null, 0, null);
    return other;
  }

  @Test
  void aBurnTakesOnlyTheLotsItNeedsSoonestExpiringFirstAcrossPages() {
    // 40 lots of 1 point, more than two pages of the burn's lot reads; the newest lots expire
    // first, so spending order is the reverse of creation order.
    for (int i = 0; i < 40; i++) {
      LedgerFixtures.grant(clientId, userId, 1);
    }
    fx.update(
        "update points_lots set expires_at = now() + interval '1 day' * (100000 - id)"
            + " where client_id = ? and user_id = ?",
        clientId,
        userId);
    long fifthOldest =
        fx.single(
            "select id from points_lots where client_id = ? and user_id = ? order by id"
                + " offset 4 limit 1",
            clientId,
            userId);
    UUID big = fx.gift(clientId, 35, null, null);
    UUID small = fx.gift(clientId, 5, null, null);
    long stampBefore = giftStamp(big);

    buy(big, "").statusCode(200).body("data.balance", equalTo(5));

    assertEquals(5, fx.balance(clientId, userId));
    assertEquals(5, lotsLeft());
    assertEquals(
        5,
        fx.single(
            "select count(*) from points_lots where client_id = ? and user_id = ?"
                + " and remaining = 1 and id <= ?",
            clientId,
            userId,
            fifthOldest),
        "the five oldest lots, which expire last, are the ones left");
    // Unlimited stock: the purchase did not touch the gift's row.
    assertEquals(stampBefore, giftStamp(big));

    buy(small, "").statusCode(200).body("data.balance", equalTo(0));
    assertEquals(0, lotsLeft());
    buy(small, "").statusCode(409).body("code", equalTo("INSUFFICIENT_POINTS"));
    assertEquals(0, fx.ledgerSum(clientId, userId));
  }

  @Test
  void aBurnTakesPartOfALotAndLeavesNeverExpiringLotsForLast() {
    LedgerFixtures.grant(clientId, userId, 3);
    LedgerFixtures.grant(clientId, userId, 4);
    LedgerFixtures.grant(clientId, userId, 2);
    long[] lots = new long[3];
    for (int i = 0; i < 3; i++) {
      lots[i] =
          fx.single(
              "select id from points_lots where client_id = ? and user_id = ? order by id offset ?"
                  + " limit 1",
              clientId,
              userId,
              i);
    }
    // 3 points expire in two days, 4 never, 2 tomorrow: spending order is 2, 3, then 4.
    fx.update(
        "update points_lots set expires_at = now() + interval '2 days' where id = ?", lots[0]);
    fx.update("update points_lots set expires_at = null where id = ?", lots[1]);
    fx.update("update points_lots set expires_at = now() + interval '1 day' where id = ?", lots[2]);
    UUID gift = fx.gift(clientId, 4, null, null);

    buy(gift, "").statusCode(200).body("data.balance", equalTo(5));
    assertEquals(1, remaining(lots[0]));
    assertEquals(4, remaining(lots[1]));
    assertEquals(0, remaining(lots[2]));

    buy(gift, "").statusCode(200).body("data.balance", equalTo(1));
    assertEquals(0, remaining(lots[0]));
    assertEquals(1, remaining(lots[1]));
    assertEquals(1, fx.ledgerSum(clientId, userId));
    buy(gift, "").statusCode(409).body("code", equalTo("INSUFFICIENT_POINTS"));
    assertEquals(1, remaining(lots[1]));
  }

  private long remaining(long lot) {
    return fx.single("select remaining from points_lots where id = ?", lot);
  }

  private long lotsLeft() {
    return fx.single(
        "select coalesce(sum(remaining), 0) from points_lots where client_id = ? and user_id = ?",
        clientId,
        userId);
  }

  private long giftStamp(UUID gift) {
    return fx.single(
        "select (extract(epoch from updated_at) * 1000000)::bigint from gifts where id = ?", gift);
  }
}
