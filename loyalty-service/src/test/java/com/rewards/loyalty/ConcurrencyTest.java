package com.rewards.loyalty;

import static com.rewards.loyalty.LedgerFixtures.newClientId;
import static com.rewards.loyalty.LedgerFixtures.newUserId;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** No double spend, no overselling, under real concurrent requests. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ConcurrencyTest {
  @Inject AgroalDataSource db;

  private static List<Integer> runAll(List<Callable<Integer>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(calls)) {
        statuses.add(f.get());
      }
      return statuses;
    } finally {
      pool.shutdown();
    }
  }

  private static Callable<Integer> buy(String clientId, String userId, UUID gift) {
    String token = TestTokens.user(clientId, userId);
    return () ->
        given()
            .auth()
            .oauth2(token)
            .contentType(ContentType.JSON)
            .body(Map.of("gift_id", gift.toString()))
            .post("/gift/checkavailability")
            .statusCode();
  }

  @Test
  void twoHundredBurnsAgainstABalanceForOneHundred() throws Exception {
    var fx = new LedgerFixtures(db);
    String clientId = newClientId();
    String userId = newUserId();
    fx.program(clientId, null, 0, null);
    UUID gift = fx.gift(clientId, 1, null, null);
    LedgerFixtures.grant(clientId, userId, 100);

    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(buy(clientId, userId, gift));
    }
    List<Integer> statuses = runAll(calls);

    assertEquals(100, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(100, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    assertEquals(0, fx.balance(clientId, userId));
    assertEquals(0, fx.ledgerSum(clientId, userId));
    assertEquals(100, fx.count("redemptions", clientId, userId));
  }

  @Test
  void fiftyBuyersForTenUnits() throws Exception {
    var fx = new LedgerFixtures(db);
    String clientId = newClientId();
    fx.program(clientId, null, 0, null);
    UUID gift = fx.gift(clientId, 5, 10, null);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String userId = newUserId();
      users.add(userId);
      LedgerFixtures.grant(clientId, userId, 5);
    }

    List<Integer> statuses = runAll(users.stream().map(u -> buy(clientId, u, gift)).toList());

    assertEquals(10, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(0, fx.stock(gift));
    long spent = users.stream().filter(u -> fx.balance(clientId, u) == 0).count();
    assertEquals(10, spent, "exactly the ten buyers paid");
  }

  @Test
  void fiftyBuyersOfAnUnlimitedGiftAtOnceAllGetIt() throws Exception {
    var fx = new LedgerFixtures(db);
    String clientId = newClientId();
    fx.program(clientId, null, 0, null);
    UUID gift = fx.gift(clientId, 5, null, null);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String userId = newUserId();
      users.add(userId);
      LedgerFixtures.grant(clientId, userId, 7);
    }
    long stampBefore =
        fx.single(
            "select (extract(epoch from updated_at) * 1000000)::bigint from gifts where id = ?",
            gift);

    List<Integer> statuses = runAll(users.stream().map(u -> buy(clientId, u, gift)).toList());

    assertEquals(50, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    for (String u : users) {
      assertEquals(2, fx.balance(clientId, u), u);
      assertEquals(2, fx.ledgerSum(clientId, u), u);
      assertEquals(1, fx.count("redemptions", clientId, u), u);
      assertEquals(
          2,
          fx.single(
              "select sum(remaining) from points_lots where client_id = ? and user_id = ?",
              clientId,
              u),
          u);
    }
    // Nobody queued on the gift's row: the purchases never updated it.
    assertEquals(
        0, fx.single("select count(*) from gifts where id = ? and stock is not null", gift));
    assertEquals(
        stampBefore,
        fx.single(
            "select (extract(epoch from updated_at) * 1000000)::bigint from gifts where id = ?",
            gift));
  }
}
