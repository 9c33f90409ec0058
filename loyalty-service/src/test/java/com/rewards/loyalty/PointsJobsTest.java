package com.rewards.loyalty;

import static com.rewards.loyalty.LedgerFixtures.newClientId;
import static com.rewards.loyalty.LedgerFixtures.newUserId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.loyalty.service.PointsJobs;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Expiry takes lots first-in-first-out and never goes below zero; pending points mature. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class PointsJobsTest {
  @Inject AgroalDataSource db;
  @Inject PointsJobs jobs;

  private void runJobsAt(Instant at) throws Throwable {
    VertxContextSupport.subscribeAndAwait(() -> jobs.runDue(at));
  }

  private void buy(String clientId, String userId, UUID gift, int status) {
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .contentType(ContentType.JSON)
        .body(Map.of("gift_id", gift.toString()))
        .post("/gift/checkavailability")
        .then()
        .statusCode(status);
  }

  @Test
  void expiryTakesWhatTheOldestLotsHaveLeft() throws Throwable {
    var fx = new LedgerFixtures(db);
    String clientId = newClientId();
    String userId = newUserId();
    fx.program(clientId, 30, 0, null);
    fx.action(clientId, "visit", 10, null, null);
    UUID gift = fx.gift(clientId, 15, null, null);

    LedgerFixtures.earn(clientId, userId, "visit");
    // The first lot is older: make it expire first.
    fx.update(
        "update points_lots set expires_at = now() + interval '10 days' where client_id = ? and user_id = ?",
        clientId,
        userId);
    LedgerFixtures.earn(clientId, userId, "visit");
    buy(clientId, userId, gift, 200); // 10 from the first lot, 5 from the second
    assertEquals(5, fx.balance(clientId, userId));

    try (var reader = new TopicReader("loyalty.ledger.v1")) {
      runJobsAt(Instant.now().plus(Duration.ofDays(15)));
      assertEquals(5, fx.balance(clientId, userId), "the first lot was already spent");

      runJobsAt(Instant.now().plus(Duration.ofDays(31)));
      assertEquals(0, fx.balance(clientId, userId));
      assertEquals(0, fx.ledgerSum(clientId, userId));
      var expired =
          reader.await(
              TopicReader.event("loyalty.points.expired.v1", "user_id", userId),
              1,
              Duration.ofSeconds(20));
      assertEquals(1, expired.size());
      assertEquals(-5, TopicReader.json(expired.get(0)).path("data").path("points").asLong());
    }
    runJobsAt(Instant.now().plus(Duration.ofDays(400)));
    assertEquals(0, fx.balance(clientId, userId));
    assertEquals(0, fx.ledgerSum(clientId, userId));
  }

  @Test
  void pendingPointsBecomeSpendableOnTheirDate() throws Throwable {
    var fx = new LedgerFixtures(db);
    String clientId = newClientId();
    String userId = newUserId();
    fx.program(clientId, null, 7, null);
    fx.action(clientId, "visit", 10, null, null);
    UUID gift = fx.gift(clientId, 10, null, null);

    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .contentType(ContentType.JSON)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then()
        .statusCode(200)
        .body("data.balance", equalTo(0))
        .body("data.pending", equalTo(10));
    buy(clientId, userId, gift, 409);

    runJobsAt(Instant.now().plus(Duration.ofDays(6)));
    assertEquals(0, fx.balance(clientId, userId));
    runJobsAt(Instant.now().plus(Duration.ofDays(8)));
    assertEquals(10, fx.balance(clientId, userId));
    assertEquals(0, fx.pending(clientId, userId));
    assertEquals(10, fx.ledgerSum(clientId, userId));
    buy(clientId, userId, gift, 200);
  }
}
