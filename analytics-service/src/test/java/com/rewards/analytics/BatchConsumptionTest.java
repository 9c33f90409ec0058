package com.rewards.analytics;

import static com.rewards.analytics.AnalyticsFixtures.count;
import static com.rewards.analytics.AnalyticsFixtures.droppedEvent;
import static com.rewards.analytics.AnalyticsFixtures.earnedEvent;
import static com.rewards.analytics.AnalyticsFixtures.key;
import static com.rewards.analytics.AnalyticsFixtures.newClientId;
import static com.rewards.analytics.AnalyticsFixtures.newUserId;
import static com.rewards.analytics.AnalyticsFixtures.publishAtOnce;
import static com.rewards.analytics.AnalyticsFixtures.record;
import static com.rewards.analytics.ParticipationTest.programHistory;
import static com.rewards.analytics.ParticipationTest.userHistory;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rewards.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The ledger and drop consumers take a whole poll per transaction: many events of many users and
 * two partners, redeliveries inside the same poll and both topics at once must still count every
 * event exactly once, without the two consumers deadlocking on the users' and programs' rows.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class BatchConsumptionTest {
  static final Instant APR_1 = Instant.parse("2024-04-01T09:00:00Z");
  static final Instant APR_2 = Instant.parse("2024-04-02T18:00:00Z");
  static final String APRIL = "from=2024-04-01&to=2024-04-30&granularity=month";
  static final int DROPS = 400;
  static final int EARNS = 300;
  static final int REDELIVERED = 25;

  @Inject AgroalDataSource db;

  @Test
  void aPollOfManyEventsCountsEachOnceInFewTransactions() throws Exception {
    List<String> clients = List.of(newClientId(), newClientId());
    List<String> users = List.of(newUserId(), newUserId(), newUserId(), newUserId(), newUserId());
    Map<String, Long> dropsByUser = new HashMap<>();
    Map<String, Long> pointsByUser = new HashMap<>();
    Map<String, Map<String, Long>> dropsByEventId = new HashMap<>();

    List<ProducerRecord<String, String>> drops = new ArrayList<>();
    List<String> dropIds = new ArrayList<>();
    for (int i = 0; i < DROPS; i++) {
      String c = clients.get(i % 2);
      String u = users.get(i % users.size());
      String eventId = "batch_" + (i % 7);
      String event = droppedEvent(c, u, eventId, i % 3 == 0 ? APR_1 : APR_2);
      drops.add(record("analytics.px-events.v1", key(c, u), event));
      dropIds.add(AnalyticsFixtures.MAPPER.readTree(event).path("id").asText());
      dropsByUser.merge(key(c, u), 1L, Long::sum);
      dropsByEventId.computeIfAbsent(c, k -> new HashMap<>()).merge(eventId, 1L, Long::sum);
    }
    // A relay's retry inside the same poll: the same CloudEvents again, which must not count.
    drops.addAll(new ArrayList<>(drops.subList(0, REDELIVERED)));

    List<ProducerRecord<String, String>> earns = new ArrayList<>();
    for (int i = 0; i < EARNS; i++) {
      String c = clients.get(i % 2);
      String u = users.get((i * 3) % users.size());
      long points = 1 + i % 10;
      String event = earnedEvent(c, u, points, "action", i % 2 == 0 ? APR_1 : APR_2);
      earns.add(record("loyalty.ledger.v1", key(c, u), event));
      pointsByUser.merge(key(c, u), points, Long::sum);
    }
    earns.addAll(new ArrayList<>(earns.subList(0, REDELIVERED)));

    // Both topics at once, so the two consumers' transactions meet on the same rows.
    CompletableFuture.allOf(
            CompletableFuture.runAsync(() -> publishAtOnce(drops)),
            CompletableFuture.runAsync(() -> publishAtOnce(earns)))
        .get();

    for (String c : clients) {
      long clientDrops = dropsByEventId.get(c).values().stream().mapToLong(Long::longValue).sum();
      long clientPoints =
          pointsByUser.entrySet().stream()
              .filter(e -> e.getKey().startsWith(c + "___"))
              .mapToLong(Map.Entry::getValue)
              .sum();
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                JsonPath p = programHistory(c, APRIL);
                assertEquals(clientDrops, p.getLong("totals.events_dropped"));
                assertEquals(clientPoints, p.getLong("totals.points_earned"));
              });
      JsonPath program = programHistory(c, APRIL);
      assertEquals(users.size(), program.getInt("totals.active_users"));
      JsonNode byId = AnalyticsFixtures.MAPPER.valueToTree(program.getMap("totals.events_by_id"));
      dropsByEventId
          .get(c)
          .forEach((eventId, n) -> assertEquals(n, byId.path(eventId).asLong(), eventId));
      for (String u : users) {
        JsonPath mine = userHistory(c, u, APRIL);
        assertEquals(dropsByUser.get(key(c, u)), mine.getLong("totals.events_dropped"), u);
        assertEquals(pointsByUser.get(key(c, u)), mine.getLong("totals.points_earned"), u);
      }
    }

    // Events of one transaction share its start time: far fewer distinct times than events.
    long transactions =
        count(
            db,
            "select count(distinct processed_at) from inbox"
                + " where consumer = 'analytics-service.px-events' and event_id = any(?)",
            (Object) dropIds.toArray(String[]::new));
    assertTrue(transactions <= DROPS / 20, transactions + " transactions for " + DROPS + " drops");
  }
}
