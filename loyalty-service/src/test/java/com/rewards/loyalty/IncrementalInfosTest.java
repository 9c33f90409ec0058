package com.rewards.loyalty;

import static com.rewards.loyalty.LoyaltyFixtures.asServer;
import static com.rewards.loyalty.LoyaltyFixtures.asUser;
import static com.rewards.loyalty.LoyaltyFixtures.buy;
import static com.rewards.loyalty.LoyaltyFixtures.earnEntry;
import static com.rewards.loyalty.LoyaltyFixtures.newUserId;
import static com.rewards.loyalty.LoyaltyFixtures.partnerWithAction;
import static com.rewards.loyalty.LoyaltyFixtures.refund;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class IncrementalInfosTest {
  @Inject AgroalDataSource db;

  /** What the feed returned over some calls, in order, and the cursor to continue from. */
  static final class Feed {
    final String clientId;
    final int limit;
    String cursor;
    final List<Long> entryIds = new ArrayList<>();
    final List<Map<String, Object>> users = new ArrayList<>();
    int calls;

    Feed(String clientId, int limit) {
      this.clientId = clientId;
      this.limit = limit;
    }

    /** One call; answers has_more. */
    boolean next() {
      var spec = asServer(clientId).queryParam("limit", limit);
      if (cursor != null) {
        spec = spec.queryParam("cursor", cursor);
      }
      JsonPath page =
          spec.get("/user/incrementalinfos")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .setRootPath("data");
      calls++;
      List<Map<String, Object>> pageUsers = page.getList("users");
      users.addAll(pageUsers);
      List<Long> ids = page.getList("users.entries.flatten().id", Long.class);
      entryIds.addAll(ids);
      assertEquals(ids.size(), page.getInt("entries"));
      assertTrue(ids.size() <= limit);
      String next = page.getString("next_cursor");
      assertNotNull(next, "next_cursor is always given");
      cursor = next;
      return page.getBoolean("has_more");
    }

    /**
     * Calls until the feed has returned {@code expected} entries in all (other transactions of the
     * cluster can hold the xmin back for a moment).
     */
    void drain(int expected) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (true) {
        boolean more = next();
        if (!more && entryIds.size() >= expected) {
          return;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("Feed returned " + entryIds.size() + " of " + expected);
        }
        if (!more) {
          sleep(50);
        }
      }
    }
  }

  @Test
  void theFeedNeedsAServerTokenAndItsOwnCursor() {
    String clientId = partnerWithAction("visit", 10);
    given().get("/user/incrementalinfos").then().statusCode(401);
    asUser(clientId, newUserId()).get("/user/incrementalinfos").then().statusCode(403);
    for (String cursor :
        List.of(
            "not base64!",
            Base64.getUrlEncoder().encodeToString("x1|abc|1".getBytes()),
            Base64.getUrlEncoder().encodeToString("x1|-5|1".getBytes()),
            Base64.getUrlEncoder().encodeToString("x1|5".getBytes()),
            Base64.getUrlEncoder().encodeToString("u1|someone".getBytes()))) {
      asServer(clientId)
          .queryParam("cursor", cursor)
          .get("/user/incrementalinfos")
          .then()
          .statusCode(400)
          .body("code", equalTo("BAD_REQUEST"));
    }
    asServer(clientId).queryParam("limit", 0).get("/user/incrementalinfos").then().statusCode(400);
  }

  @Test
  void theFeedReportsEachChangeOnceWithTheUsersPoints() {
    String clientId = partnerWithAction("visit", 100);
    String alice = newUserId();
    String bob = newUserId();
    // Another partner's changes never appear.
    earnEntry(partnerWithAction("visit", 1), alice, "visit");

    Feed feed = new Feed(clientId, 1000);
    assertFalse(feed.next());
    assertEquals(List.of(), feed.entryIds);

    long a1 = earnEntry(clientId, alice, "visit");
    long a2 = earnEntry(clientId, alice, "visit");
    long b1 = earnEntry(clientId, bob, "visit");
    feed.drain(3);
    assertEquals(List.of(a1, a2, b1), feed.entryIds);
    Map<String, Object> first = feed.users.get(0);
    assertEquals(alice, first.get("user_id"));
    assertEquals(200, first.get("balance"));
    assertEquals(200, first.get("lifetime_earned"));

    // Nothing new: nothing returned, the cursor still moves on (or stays).
    assertFalse(feed.next());
    assertEquals(3, feed.entryIds.size());

    String gift = LoyaltyFixtures.gift(clientId, "Mug", 30, 5);
    String redemption = buy(clientId, bob, gift);
    feed.drain(4);
    Map<String, Object> bobAfterBuy = feed.users.getLast();
    assertEquals(bob, bobAfterBuy.get("user_id"));
    assertEquals(70, bobAfterBuy.get("balance"));
    List<Map<String, Object>> burn = cast(bobAfterBuy.get("entries"));
    assertEquals("burn", burn.get(0).get("kind"));
    assertEquals(-30, burn.get(0).get("points"));
    List<Map<String, Object>> bought = cast(bobAfterBuy.get("redemptions"));
    assertEquals(redemption, bought.get(0).get("id"));
    assertEquals("Mug", bought.get(0).get("gift_name"));
    assertEquals("completed", bought.get(0).get("state"));

    refund(clientId, redemption);
    feed.drain(5);
    Map<String, Object> bobAfterRefund = feed.users.getLast();
    List<Map<String, Object>> refundEntry = cast(bobAfterRefund.get("entries"));
    assertEquals("refund", refundEntry.get(0).get("kind"));
    assertEquals(30, refundEntry.get(0).get("points"));
    List<Map<String, Object>> refunded = cast(bobAfterRefund.get("redemptions"));
    assertEquals(redemption, refunded.get(0).get("id"));
    assertEquals("refunded", refunded.get(0).get("state"));
    assertNotNull(refunded.get(0).get("refunded_at"));
    assertEquals(new HashSet<>(feed.entryIds).size(), feed.entryIds.size());
  }

  @Test
  void aFullPageSaysSoAndTheNextPageContinuesRightAfterIt() {
    String clientId = partnerWithAction("visit", 1);
    List<Long> entries = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      entries.add(earnEntry(clientId, "u-" + (i % 3) + "-" + clientId, "visit"));
    }
    Feed feed = new Feed(clientId, 3);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    List<Boolean> hasMore = new ArrayList<>();
    while (feed.entryIds.size() < 7 && Instant.now().isBefore(deadline)) {
      hasMore.add(feed.next());
    }
    assertEquals(entries, feed.entryIds);
    assertTrue(hasMore.contains(true), "3 + 3 + 1 needs pages that say has_more");
    // An oversized limit is cut to the maximum, not refused.
    asServer(clientId)
        .queryParam("limit", 1_000_000)
        .get("/user/incrementalinfos")
        .then()
        .statusCode(200);
  }

  @Test
  void aTransactionThatCommitsLateIsNotSkipped() throws Exception {
    String clientId = partnerWithAction("visit", 10);
    Feed feed = new Feed(clientId, 1000);
    feed.drain(0);
    try (Connection slow = db.getConnection()) {
      slow.setAutoCommit(false);
      long slowEntry;
      // A write that has begun (its xid is taken) but commits only after a later one.
      try (PreparedStatement st =
          slow.prepareStatement(
              "insert into ledger_entries (client_id, user_id, kind, points, balance_after,"
                  + " source_type, reason) values (?, ?, 'adjust', 5, 5, 'adjustment', 'slow')"
                  + " returning id")) {
        st.setString(1, clientId);
        st.setString(2, newUserId());
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          slowEntry = rs.getLong(1);
        }
      }
      long fastEntry = earnEntry(clientId, newUserId(), "visit");
      // The later write has committed, but handing it out now would move the cursor past the
      // earlier one: it waits.
      for (int i = 0; i < 3; i++) {
        assertFalse(feed.next());
      }
      assertEquals(List.of(), feed.entryIds);
      slow.commit();
      feed.drain(2);
      assertEquals(List.of(slowEntry, fastEntry), feed.entryIds);
    }
  }

  @Test
  void concurrentEarnsAreNeverSkippedNorRepeated() throws Exception {
    String clientId = partnerWithAction("visit", 1);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      users.add(newUserId());
    }
    Feed feed = new Feed(clientId, 7);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<CompletableFuture<Long>> earns = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        String userId = users.get(i % users.size());
        earns.add(CompletableFuture.supplyAsync(() -> earnEntry(clientId, userId, "visit"), pool));
      }
      CompletableFuture<Void> all =
          CompletableFuture.allOf(earns.toArray(new CompletableFuture[0]));
      int callsWhileWriting = 0;
      while (!all.isDone()) {
        feed.next();
        callsWhileWriting++;
      }
      all.get();
      feed.drain(50);
      assertTrue(callsWhileWriting > 0, "the feed was read while the earns ran");
    } finally {
      pool.shutdownNow();
    }
    Set<Long> expected = new HashSet<>();
    for (var f : earns) {
      expected.add(f.get());
    }
    assertEquals(50, expected.size());
    assertEquals(50, feed.entryIds.size(), "no entry returned twice");
    assertEquals(expected, new HashSet<>(feed.entryIds));
    // And nothing more turns up later.
    assertFalse(feed.next());
    assertEquals(50, feed.entryIds.size());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cast(Object value) {
    return (List<Map<String, Object>>) value;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
