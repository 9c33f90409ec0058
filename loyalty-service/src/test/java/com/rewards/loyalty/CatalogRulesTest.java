package com.rewards.loyalty;

import static com.rewards.loyalty.LedgerFixtures.newClientId;
import static com.rewards.loyalty.LedgerFixtures.newUserId;
import static com.rewards.loyalty.LoyaltyFixtures.asServer;
import static com.rewards.loyalty.LoyaltyFixtures.asUser;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Earns read the program's and the actions' rules from a cache (CatalogRules): a change made
 * through this instance's /manage/v1 applies to the very next earn, one made elsewhere (another
 * instance, or SQL) within the cache's TTL (rewards.loyalty.rules-cache-ttl, 5 s).
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class CatalogRulesTest {
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
    fx.action(clientId, "visit", 10, null, null);
  }

  private ValidatableResponse earn() {
    return asUser(clientId, userId)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then();
  }

  @Test
  void aChangeThroughManageAppliesToTheNextEarn() {
    // Each earn right after the previous one, well inside the TTL: only the invalidation can
    // make it see the change.
    earn().statusCode(200).body("data.points", equalTo(10)).body("data.balance", equalTo(10));

    asServer(clientId)
        .body(Map.of("name", "Visit", "points", 25))
        .put("/manage/v1/actions/visit")
        .then()
        .statusCode(200);
    earn().statusCode(200).body("data.points", equalTo(25)).body("data.balance", equalTo(35));

    asServer(clientId)
        .body(Map.of("name", "Test program", "pending_days", 2))
        .put("/manage/v1/program")
        .then()
        .statusCode(200);
    earn()
        .statusCode(200)
        .body("data.points", equalTo(25))
        .body("data.balance", equalTo(35))
        .body("data.pending", equalTo(25));

    asServer(clientId).delete("/manage/v1/actions/visit").then().statusCode(204);
    earn().statusCode(409).body("code", equalTo("ACTION_NOT_AVAILABLE"));

    assertEquals(60, fx.ledgerSum(clientId, userId));
    assertEquals(35, fx.balance(clientId, userId));
    assertEquals(25, fx.pending(clientId, userId));
  }

  @Test
  void aChangeMadeElsewhereIsSeenWithinTheTtl() {
    earn().statusCode(200).body("data.points", equalTo(10));
    // As another instance's /manage/v1 would: nothing tells this instance. (The earns until the
    // TTL has passed may still apply 10; how many depends on the machine's speed, so they are not
    // counted.)
    fx.update("update actions set points = 30 where client_id = ? and code = 'visit'", clientId);

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> earn().statusCode(200).extract().<Integer>path("data.points") == 30);
    assertEquals(fx.balance(clientId, userId), fx.ledgerSum(clientId, userId));
  }

  @Test
  void aProgramOrActionCreatedLaterCountsAtOnce() {
    String other = newClientId();
    asUser(other, userId)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then()
        .statusCode(404);
    fx.program(other, null, 0, null);
    asUser(other, userId)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then()
        .statusCode(404)
        .body("detail", equalTo("No such action."));
    fx.action(other, "visit", 7, null, null);
    asUser(other, userId)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then()
        .statusCode(200)
        .body("data.points", equalTo(7));
  }
}
