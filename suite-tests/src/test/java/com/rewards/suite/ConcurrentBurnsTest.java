package com.rewards.suite;

import static com.rewards.suite.Fixtures.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 1: 200 burns at once against a balance that affords 100. Exactly 100 succeed, the
 * other 100 are refused with 409 INSUFFICIENT_POINTS, the balance ends at 0, the history holds 100
 * redemptions, and the partner's ledger reconciles clean.
 */
class ConcurrentBurnsTest {
  private static final int BURNS = 200;
  private static final int AFFORDED = 100;
  private static final long COST = 7;

  @RegisterExtension final Figures figures = new Figures();

  @Test
  void twoHundredConcurrentBurnsAgainstABalanceForAHundred() throws Exception {
    figures.item("1", BURNS + " concurrent gift burns, balance for " + AFFORDED);
    Partner p = Fixtures.partner();
    Fixtures.program(p);
    String gift = Fixtures.gift(p, COST, null);
    String userId = Suite.unique("burn");
    String token = Fixtures.userToken(p, userId);
    assertEquals(AFFORDED * COST, Fixtures.adjust(p, userId, AFFORDED * COST));

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(16))
            .build();
    String body = "{\"gift_id\":\"" + gift + "\"}";
    // All requests are built first and released together, each as its own client address so the
    // gateway's per-client limit (burst 100) measures nothing here.
    List<HttpRequest> requests = new ArrayList<>();
    for (int i = 0; i < BURNS; i++) {
      requests.add(
          HttpRequest.newBuilder(URI.create(Suite.GATEWAY + "/gift/checkavailability"))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + token)
              .header("X-Forwarded-For", Net.freshIp())
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build());
    }
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    Set<String> redemptionIds = ConcurrentHashMap.newKeySet();
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (HttpRequest request : requests) {
      all.add(
          CompletableFuture.runAsync(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  })
              .thenCompose(v -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
              .handle(
                  (response, error) -> {
                    String outcome;
                    if (error != null) {
                      outcome = "no answer: " + error.getClass().getSimpleName();
                    } else if (response.statusCode() == 200) {
                      outcome = "200";
                      redemptionIds.add(field(response.body(), "redemption_id"));
                    } else {
                      outcome = response.statusCode() + " " + field(response.body(), "code");
                    }
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    return null;
                  }));
    }
    long started = System.nanoTime();
    go.countDown();
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    int ok = count(outcomes, "200");
    int insufficient = count(outcomes, "409 INSUFFICIENT_POINTS");
    for (int i = 0; i < ok; i++) {
      figures.succeeded();
    }
    outcomes.forEach(
        (outcome, n) -> {
          if (!outcome.equals("200")) {
            for (int i = 0; i < n.get(); i++) {
              figures.refused(outcome);
            }
          }
        });
    long balance = Fixtures.balance(p, userId);
    int burnsInHistory = historyBurns(token);
    figures.lost(Math.abs(AFFORDED - ok) + Math.abs(AFFORDED - burnsInHistory));
    String seen = outcomes + " in " + millis + " ms";
    assertEquals(AFFORDED, ok, "successful burns: " + seen);
    assertEquals(BURNS - AFFORDED, insufficient, "INSUFFICIENT_POINTS refusals: " + seen);
    assertEquals(AFFORDED, redemptionIds.size(), "one distinct redemption per success");
    assertEquals(0, balance, "balance after the burns");
    assertEquals(AFFORDED, burnsInHistory, "redemptions in the user's history");

    JsonNode report =
        Jwt.JSON.readTree(
            server(p)
                .get("/manage/v1/ledger/reconcile")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    assertTrue(report.path("consistent").asBoolean(), "reconcile: " + report);
    assertEquals(0, report.path("mismatch_count").asLong(), "reconcile: " + report);
    assertTrue(report.path("users_checked").asLong() >= 1, "reconcile: " + report);
  }

  /** Walks the user's burn history to its end. */
  private static int historyBurns(String token) {
    Set<Object> ids = new HashSet<>();
    String cursor = null;
    for (int page = 0; page < 20; page++) {
      var answer =
          Net.bearer(token)
              .queryParam("limit", 100)
              .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
              .get("/user/historyburns")
              .then()
              .statusCode(200)
              .extract();
      List<Object> items = answer.path("data.items");
      ids.addAll(items);
      cursor = answer.path("data.next_cursor");
      Boolean more = answer.path("data.has_more");
      if (more == null || !more || cursor == null) {
        break;
      }
    }
    return ids.size();
  }

  private static int count(Map<String, AtomicInteger> outcomes, String key) {
    AtomicInteger n = outcomes.get(key);
    return n == null ? 0 : n.get();
  }

  private static String field(String json, String name) {
    try {
      JsonNode node = Jwt.JSON.readTree(json);
      JsonNode data = node.has("data") ? node.get("data") : node;
      return data.path(name).asText(null);
    } catch (Exception e) {
      return null;
    }
  }
}
