package com.rewards.suite;

import static com.rewards.suite.Partner.asUser;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, items 4 to 6: the broker and the services fail under the running suite, and nothing
 * accepted is lost or applied twice. These stop Kafka and kill services, so they restore both in
 * {@link #everythingBackUp()} whatever happens.
 */
class ProcessFailuresTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EARN = 7;

  @AfterEach
  void everythingBackUp() throws Exception {
    Suite.script("dev/stack", "kafka-start");
    if (!ready("loyalty-service")) {
      Suite.script("dev/run", "restart", "loyalty-service");
    }
  }

  @Test
  void writesDuringAKafkaOutageSucceedAndEveryEventArrivesOnceAfterwards() throws Exception {
    Partner p = programWithAction();
    String user = Suite.unique("outage");
    String token = Fixtures.userToken(p, user);
    Suite.script("dev/stack", "kafka-stop");
    List<Long> entries = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      entries.add(earn(token).longValue());
    }
    Suite.script("dev/stack", "kafka-start");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              Map<Long, Integer> seen = earnedEntries(p.clientId(), user);
              assertEquals(entries.size(), seen.size(), "every earn reached Kafka");
              entries.forEach(e -> assertEquals(1, seen.get(e), "entry " + e + " exactly once"));
            });
    Figures.record(
        "4", "Kafka stopped during writes", entries.size(), entries.size(), 0, 0, "pass");
  }

  @Test
  void aConsumerKilledMidStreamAppliesEveryConversionExactlyOnce() throws Exception {
    Partner p = programWithAction();
    Fixtures.referralProgram(
        p,
        "{\"referrerPoints\":3,\"referredPoints\":2,\"conversionTrigger\":\"manual\","
            + "\"enabled\":true,\"flagHourlyThreshold\":0,\"velocityLimitPerDay\":1000}");
    String key = Fixtures.apiKey(p);
    String referrer = Suite.unique("ref");
    String code =
        Fixtures.withKey(key)
            .body("{\"firstName\":\"Kim\",\"lastName\":\"Kill\"}")
            .put("/api/v1/" + p.clientId() + "/open/account/acc-k/user/" + referrer)
            .then()
            .statusCode(201)
            .extract()
            .path("referralCode");
    int n = 40;
    List<String> friends = new ArrayList<>();
    List<String> referrals = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String friend = Suite.unique("fr");
      friends.add(friend);
      Fixtures.withKey(key)
          .body("{\"firstName\":\"Fay\",\"lastName\":\"Friend\"}")
          .put("/api/v1/" + p.clientId() + "/open/account/acc-" + i + "/user/" + friend)
          .then()
          .statusCode(201);
      referrals.add(
          Fixtures.withKey(key)
              .post(
                  "/api/v1/"
                      + p.clientId()
                      + "/open/code/"
                      + code
                      + "/account/acc-"
                      + i
                      + "/user/"
                      + friend)
              .then()
              .statusCode(201)
              .extract()
              .path("id"));
    }
    for (String id : referrals) {
      p.server().post("/manage/v1/referral/referrals/" + id + "/convert").then().statusCode(200);
    }
    // Kill loyalty-service without warning as soon as it has applied the first conversions.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Fixtures.balance(p, referrer) > 0);
    long creditedAtKill = Fixtures.balance(p, referrer) / 3;
    new ProcessBuilder("kill", "-KILL", Long.toString(Suite.pidOf("loyalty-service")))
        .start()
        .waitFor();
    Suite.script("dev/run", "restart", "loyalty-service");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertEquals(3 * n, Fixtures.balance(p, referrer)));
    for (String friend : friends) {
      assertEquals(2, Fixtures.balance(p, friend), friend);
    }
    Figures.record(
        "5",
        "loyalty-service SIGKILLed while consuming "
            + n
            + " conversions ("
            + creditedAtKill
            + " applied before the kill)",
        n,
        n,
        0,
        0,
        "pass");
  }

  @Test
  void aServiceKilledUnderLoadLosesNoAcceptedWrite() throws Exception {
    Partner p = programWithAction();
    String user = Suite.unique("kill");
    String token = Fixtures.userToken(p, user);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger sent = new AtomicInteger();
    Map<Long, Boolean> accepted = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> load = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      load.add(
          pool.submit(
              () -> {
                while (!stop.get()) {
                  sent.incrementAndGet();
                  var answer =
                      asUser(token)
                          .body("{\"action_code\":\"tap\"}")
                          .post("/generosity/store")
                          .then()
                          .extract();
                  if (answer.statusCode() == 200) {
                    accepted.put(((Number) answer.path("data.entry_id")).longValue(), true);
                  } else {
                    refused.incrementAndGet();
                  }
                }
              }));
    }
    Thread.sleep(2_000);
    new ProcessBuilder("kill", "-KILL", Long.toString(Suite.pidOf("loyalty-service")))
        .start()
        .waitFor();
    Thread.sleep(1_000);
    stop.set(true);
    for (Future<?> f : load) {
      f.get();
    }
    pool.shutdown();
    Suite.script("dev/run", "restart", "loyalty-service");

    assertTrue(accepted.size() > 0, "some earns were accepted before the kill");
    assertTrue(refused.get() > 0, "the kill happened under load (some requests failed)");
    long balance = Fixtures.balance(p, user);
    // Every accepted earn is in the balance. A request whose answer the kill cut off may have
    // committed too, so the balance may exceed the accepted ones, never the ones sent.
    assertTrue(balance >= accepted.size() * EARN, "accepted earns lost: balance " + balance);
    assertTrue(balance <= sent.get() * EARN, "more points than requests: balance " + balance);
    Figures.record(
        "6",
        "loyalty-service SIGKILLed under 6 concurrent earners",
        sent.get(),
        accepted.size(),
        refused.get(),
        0,
        "pass");
  }

  /** A partner with a loyalty program and an unlimited action {@code tap} of EARN points. */
  private static Partner programWithAction() {
    Partner p = Fixtures.partner();
    Fixtures.program(p);
    Fixtures.action(p, "tap", EARN);
    return p;
  }

  private static Number earn(String token) {
    return asUser(token)
        .body("{\"action_code\":\"tap\"}")
        .post("/generosity/store")
        .then()
        .statusCode(200)
        .extract()
        .path("data.entry_id");
  }

  /** entry_id -> how many PointsEarned events carry it, for one user. */
  private static Map<Long, Integer> earnedEntries(String clientId, String user) throws Exception {
    Map<Long, Integer> seen = new HashMap<>();
    for (var r :
        Topics.readFromStart(
            "loyalty.ledger.v1",
            r -> r.value() != null && r.value().contains(user),
            Duration.ofSeconds(20))) {
      JsonNode event = JSON.readTree(r.value());
      if (event.path("type").asText().equals("loyalty.points.earned.v1")
          && event.path("data").path("client_id").asText().equals(clientId)
          && event.path("data").path("user_id").asText().equals(user)) {
        seen.merge(event.path("data").path("entry_id").asLong(), 1, Integer::sum);
      }
    }
    return seen;
  }

  private static boolean ready(String service) {
    try {
      return Suite.direct(service).get("/q/health/ready").statusCode() == 200;
    } catch (Exception e) { // rest-assured throws ConnectException unchecked
      return false;
    }
  }
}
