package com.rewards.suite;

import static com.rewards.suite.Net.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 6, the SIGTERM half: loyalty-service runs as two instances behind the gateway
 * ({@code dev/run scale loyalty-service 2}), steady load goes through the gateway, and {@code
 * dev/run rolling-restart loyalty-service} restarts both, one at a time. Not one request may fail:
 * no 5xx, no connection error, every accepted earn in the balance exactly once. Then a request in
 * flight when an instance gets SIGTERM (a long multistore sent to it directly) must still be
 * answered and applied whole. The suite is left as it was: one instance, every gateway server back.
 */
class RollingRestartTest {
  private static final String SERVICE = "loyalty-service";
  private static final int EARN = 3;
  private static final int THREADS = 6;
  // One transaction per user: a second or two on a quiet machine, well inside the 30 s shutdown
  // timeout on a loaded one (about 60 ms a user at load 17 on 2 cores).
  private static final int MULTISTORE_USERS = 200;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void oneInstanceAgain() throws Exception {
    Suite.script("dev/run", "scale", SERVICE, "1");
    if (!ready(Suite.SERVICE_PORTS.get(SERVICE))) {
      Suite.script("dev/run", "restart", SERVICE);
    }
  }

  @Test
  void aRollingRestartUnderLoadFailsNoRequestAndLosesNoEarn() throws Exception {
    Partner p = Fixtures.partner();
    Fixtures.program(p);
    Fixtures.action(p, "tap", EARN);
    String user = Suite.unique("roll");
    String token = Fixtures.userToken(p, user);
    String ridPrefix = Suite.unique("rr");
    int second = Suite.SERVICE_PORTS.get(SERVICE) + Suite.SECOND_INSTANCE_OFFSET;
    Suite.script("dev/run", "scale", SERVICE, "2");
    assertTrue(ready(second), SERVICE + " second instance not ready on " + second);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger earnsSent = new AtomicInteger();
    AtomicInteger connectionErrors = new AtomicInteger();
    Map<String, Long> accepted = new ConcurrentHashMap<>();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> load = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      boolean earner = t % 3 != 2; // two earners to one reader
      load.add(
          pool.submit(
              () -> {
                while (!stop.get()) {
                  sent.incrementAndGet();
                  String key = UUID.randomUUID().toString();
                  try {
                    var answer =
                        earner
                            ? bearer(token)
                                .header("Idempotency-Key", key)
                                .header("X-Request-Id", ridPrefix + "-" + key)
                                .body("{\"action_code\":\"tap\"}")
                                .post("/generosity/store")
                                .then()
                                .extract()
                            : bearer(p.serverToken())
                                .header("X-Request-Id", ridPrefix + "-" + key)
                                .get("/user/info?user_id=" + user)
                                .then()
                                .extract();
                    if (earner) {
                      earnsSent.incrementAndGet();
                    }
                    statuses
                        .computeIfAbsent(answer.statusCode(), s -> new AtomicInteger())
                        .incrementAndGet();
                    if (earner && answer.statusCode() == 200) {
                      accepted.put(key, ((Number) answer.path("data.entry_id")).longValue());
                    } else if (answer.statusCode() != 200 && answer.statusCode() != 404) {
                      // 404: the reader before the user's first earn.
                      failures.add(answer.statusCode() + " " + answer.asString());
                    }
                  } catch (RuntimeException e) { // rest-assured throws I/O errors unchecked
                    connectionErrors.incrementAndGet();
                    failures.add(e.toString());
                  }
                }
              }));
    }
    Thread.sleep(2_000);
    long rollStarted = System.nanoTime();
    Suite.script("dev/run", "rolling-restart", SERVICE);
    long rollMillis = (System.nanoTime() - rollStarted) / 1_000_000;
    Thread.sleep(2_000);
    stop.set(true);
    for (Future<?> f : load) {
      f.get();
    }
    pool.shutdown();

    int fivexx =
        statuses.entrySet().stream()
            .filter(e -> e.getKey() >= 500)
            .mapToInt(e -> e.getValue().get())
            .sum();
    String seen = new TreeMap<>(statuses).toString();
    assertEquals(0, fivexx, "5xx during the rolling restart: " + seen + " " + first(failures));
    assertEquals(0, connectionErrors.get(), "connection errors: " + first(failures));
    assertEquals(List.of(), failures.stream().limit(5).toList(), "unexpected answers " + seen);
    assertEquals(earnsSent.get(), accepted.size(), "every earn sent was accepted");
    assertEquals(
        accepted.size(), accepted.values().stream().distinct().count(), "one entry per earn");
    long balance = Fixtures.balance(p, user);
    assertEquals(accepted.size() * (long) EARN, balance, "every accepted earn exactly once");
    Map<String, Integer> served = servedBy(ridPrefix);
    assertTrue(
        served.getOrDefault("127.0.0.1:" + Suite.SERVICE_PORTS.get(SERVICE), 0) > 0
            && served.getOrDefault("127.0.0.1:" + second, 0) > 0,
        "both instances served the load: " + served);

    String inFlight = inFlightRequestSurvivesSigterm(p, second);
    Figures.record(
        "6",
        "rolling restart of 2 loyalty-service instances ("
            + rollMillis
            + " ms) under "
            + THREADS
            + " clients through the gateway; served by "
            + served
            + "; "
            + inFlight,
        sent.get(),
        sent.get() - fivexx - connectionErrors.get(),
        0,
        fivexx + connectionErrors.get(),
        "pass");
  }

  /**
   * A multistore of {@value #MULTISTORE_USERS} users (one transaction each, seconds long) straight
   * to the second instance, SIGTERMed as soon as the first user has the points: answered 200 with
   * every user stored, and the instance's log shows it waited for the request.
   */
  private String inFlightRequestSurvivesSigterm(Partner p, int port) throws Exception {
    String prefix = Suite.unique("sig");
    List<String> users =
        IntStream.range(0, MULTISTORE_USERS).mapToObj(i -> prefix + "-" + i).toList();
    String body =
        users.stream()
            .map(u -> "\"" + u + "\"")
            .collect(Collectors.joining(",", "{\"action_code\":\"tap\",\"user_ids\":[", "]}"));
    Path log = Suite.repo().resolve(".stack/logs/" + SERVICE + "-2.log");
    long logBefore = Files.size(log);
    CompletableFuture<HttpResponse<String>> answer =
        HTTP.sendAsync(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/generosity/multistore"))
                .header("Authorization", "Bearer " + p.serverToken())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // Under way: its first user has the points.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (Fixtures.balance(p, users.get(0)) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(!answer.isDone(), "the multistore finished before the SIGTERM; make it longer");
    // SIGTERM straight away (the load has stopped, the gateway sends it nothing), as
    // dev/run would after draining it; then dev/run puts the gateway back as it was.
    long pid = Suite.pidOf(SERVICE + "-2");
    long stopStarted = System.nanoTime();
    new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor();
    ProcessHandle.of(pid)
        .ifPresent(h -> h.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join());
    long stopMillis = (System.nanoTime() - stopStarted) / 1_000_000;
    Suite.script("dev/run", "scale", SERVICE, "1");
    HttpResponse<String> res = answer.get();
    assertEquals(200, res.statusCode(), res.body());
    assertTrue(
        res.body().contains("\"stored\":" + MULTISTORE_USERS), "every user stored: " + res.body());
    assertEquals(EARN, Fixtures.balance(p, users.get(MULTISTORE_USERS - 1)), "the last user");
    String after = Files.readString(log, StandardCharsets.UTF_8).substring((int) logBefore);
    assertTrue(
        after.contains("Waiting for HTTP requests to complete"),
        "the instance had the request in flight at SIGTERM:\n" + tail(after));
    return "a "
        + MULTISTORE_USERS
        + "-user multistore in flight at SIGTERM answered 200 whole (SIGTERM to exit "
        + stopMillis
        + " ms)";
  }

  /** Upstream address -> requests of this test the gateway sent there (its access log). */
  private static Map<String, Integer> servedBy(String ridPrefix) throws Exception {
    Path access = Suite.repo().resolve(".stack/logs/gateway-access.log");
    Thread.sleep(1_500); // the access log is buffered for up to 1 s
    Pattern line =
        Pattern.compile("rid=" + Pattern.quote(ridPrefix) + "-\\S+ upstream=(.*?) ustatus=");
    Map<String, Integer> served = new TreeMap<>();
    for (String l : Files.readAllLines(access, StandardCharsets.UTF_8)) {
      Matcher m = line.matcher(l);
      if (m.find()) {
        // "a, b" when the first was refused and the request went on to the second.
        for (String addr : m.group(1).split(",")) {
          served.merge(addr.trim(), 1, Integer::sum);
        }
      }
    }
    return served;
  }

  private static boolean ready(int port) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String first(List<String> failures) {
    synchronized (failures) {
      return failures.isEmpty() ? "" : failures.get(0);
    }
  }

  private static String tail(String s) {
    return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
  }
}
