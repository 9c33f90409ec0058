package com.rewards.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the real gateway (nginx with gateway/nginx.conf, only its ports rewritten) in front of this
 * test's auth-service and checks that every auth-service row of gateway/routes.tsv reaches the
 * service, that nothing else does, and the gateway's own answers (404, 413, 429, 502).
 *
 * <p>"Reached auth-service" is proven, not guessed from a status: {@link ProbeRecorder} records the
 * X-Request-Id and path of every probe request the service receives.
 */
@QuarkusTest
class GatewayRoutesTest {
  private static final String NGINX = "/usr/sbin/nginx";
  private static final String AUTH_UPSTREAM = "127.0.0.1:8081";
  private static final String LISTEN = "listen 127.0.0.1:8080;";
  private static final String PROBE = "gw-probe-";
  private static final String GATEWAY_404 =
      "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
          + "\"code\":\"RECORD_NOT_FOUND\",\"detail\":\"No such route.\"}";

  /** Probe request id -> the path auth-service saw for it. */
  static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  /** Part of the test application: records probe requests before any other handler runs. */
  @Singleton
  static class ProbeRecorder {
    void install(@Observes Router router) {
      router
          .route()
          .order(Integer.MIN_VALUE)
          .handler(
              ctx -> {
                String id = ctx.request().getHeader("X-Request-Id");
                if (id != null && id.startsWith(PROBE)) {
                  SEEN.put(id, ctx.request().path());
                }
                ctx.next();
              });
    }
  }

  record Route(String matchType, String path, String owner, String document) {
    boolean matches(String p) {
      return matchType.equals("exact") ? p.equals(path) : p.startsWith(path);
    }
  }

  /** One nginx master started with daemon off, so it is our child and dies with destroy(). */
  record Gateway(Process process, Path dir, int port) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static Path root;
  private static List<Route> routes;
  private static Gateway gateway;
  private static Gateway deadUpstreamGateway;

  @TestHTTPResource("/")
  URL authUrl;

  // ------------------------------------------------------------------------------- the tests

  @Test
  void nginxConfRoutesExactlyTheRowsOfRoutesTsv() throws Exception {
    start();
    String conf = Files.readString(root.resolve("gateway/nginx.conf")).replaceAll("#[^\\n]*", "");
    Pattern location =
        Pattern.compile("location\\s+(=|\\^~)\\s+(\\S+)\\s*\\{([^}]*)\\}", Pattern.DOTALL);
    Pattern proxyPass = Pattern.compile("proxy_pass\\s+http://([A-Za-z0-9_]+)\\s*;");
    Set<String> inConf = new TreeSet<>();
    Matcher m = location.matcher(conf);
    while (m.find()) {
      Matcher pass = proxyPass.matcher(m.group(3));
      if (pass.find()) {
        String type = m.group(1).equals("=") ? "exact" : "prefix";
        inConf.add(type + " " + m.group(2) + " " + pass.group(1).replace('_', '-'));
      }
    }
    Set<String> inTable = new TreeSet<>();
    for (Route r : routes) {
      inTable.add(r.matchType() + " " + r.path() + " " + r.owner());
    }
    assertEquals(inTable, inConf, "gateway/nginx.conf proxies differ from gateway/routes.tsv");
    assertFalse(
        Pattern.compile("^\\s*location\\s+(?!=|\\^~|@|/\\s*\\{)", Pattern.MULTILINE)
            .matcher(conf)
            .find(),
        "only exact (=), prefix (^~), named and the catch-all / locations are expected");
  }

  @Test
  void everyAuthServiceRowReachesAuthService() throws Exception {
    start();
    List<Route> authRows = routes.stream().filter(r -> r.owner().equals("auth-service")).toList();
    assertFalse(authRows.isEmpty(), "routes.tsv has no auth-service rows");
    for (Route r : authRows) {
      String path = r.matchType().equals("exact") ? r.path() : r.path() + "gateway-probe";
      for (String method : List.of("GET", "POST")) {
        String id = PROBE + UUID.randomUUID();
        HttpResponse<String> res = send(gateway, method, path, id, "{}", Map.of());
        assertEquals(
            path,
            SEEN.get(id),
            method
                + " "
                + path
                + " did not reach auth-service unchanged; gateway said "
                + res.statusCode()
                + " "
                + res.body());
        assertNotEquals(GATEWAY_404, res.body(), method + " " + path);
        assertEquals(id, res.headers().firstValue("X-Request-Id").orElse(null), path);
      }
    }
  }

  @Test
  void everyPathAuthServiceServesHasARoute() throws Exception {
    start();
    HttpResponse<String> res =
        HTTP.send(
            HttpRequest.newBuilder(authUrl.toURI().resolve("/q/openapi?format=json")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    Map<String, Object> paths = JsonPath.from(res.body()).getMap("paths");
    List<String> unrouted = new ArrayList<>();
    for (String p : paths.keySet()) {
      if (!p.startsWith("/q/") && routes.stream().noneMatch(r -> r.matches(p))) {
        unrouted.add(p);
      }
    }
    assertTrue(unrouted.isEmpty(), "auth-service paths missing from routes.tsv: " + unrouted);
  }

  @Test
  void unknownPathsGetTheGatewaysProblem404() throws Exception {
    start();
    List<String> unknown =
        List.of(
            "/",
            "/nope",
            "/index.html",
            "/auth/token/extra",
            "/auth/tokens",
            "/user/info",
            "/user/clientcheckcredentials/x",
            "/partner/getprog",
            "/api/users",
            "/api/v1/acme/open/code/ABC",
            "/fe/analytics/px-tracker/events/e1/drop",
            "/manage/v1/partners",
            "/manage/v1/partner/x",
            "/manage/v1/k-store",
            "/admin/v1",
            "/admin/v2/partners",
            "/.well-known/jwks.json.bak",
            "/q/health/ready",
            "/q/metrics",
            "/q/openapi");
    // Inside the /api/users/ prefix but payment-service's (not routed yet): nginx keeps them out.
    List<String> notYetRouted = List.of("/api/users/payment", "/api/users/payment/cards");
    List<String> all = new ArrayList<>(notYetRouted);
    for (String path : unknown) {
      assertTrue(routes.stream().noneMatch(r -> r.matches(path)), path + " is routed");
      all.add(path);
    }
    // nginx would 301 a proxied prefix's path without its slash to the prefix; must be a 404.
    for (Route r : routes) {
      String bare = r.path().substring(0, r.path().length() - 1);
      if (r.matchType().equals("prefix") && routes.stream().noneMatch(o -> o.matches(bare))) {
        all.add(bare);
      }
    }
    for (String path : all) {
      for (String method : List.of("GET", "POST")) {
        String id = PROBE + UUID.randomUUID();
        HttpResponse<String> res = send(gateway, method, path, id, "{}", Map.of());
        assertEquals(404, res.statusCode(), method + " " + path);
        assertEquals(
            "application/problem+json", res.headers().firstValue("Content-Type").orElse(null));
        assertEquals(GATEWAY_404, res.body(), method + " " + path);
        assertEquals(id, res.headers().firstValue("X-Request-Id").orElse(null));
        assertFalse(SEEN.containsKey(id), path + " reached auth-service");
      }
    }
  }

  @Test
  void oversizedBodyIs413FromTheGateway() throws Exception {
    start();
    String id = PROBE + UUID.randomUUID();
    String body = "{\"client_id\":\"" + "x".repeat(64 * 1024) + "\"}";
    HttpResponse<String> res = send(gateway, "POST", "/auth/token", id, body, Map.of());
    assertEquals(413, res.statusCode());
    JsonPath problem = problem(res);
    assertEquals("PAYLOAD_TOO_LARGE", problem.getString("code"));
    assertEquals(413, problem.getInt("status"));
    assertFalse(SEEN.containsKey(id), "the oversized body reached auth-service");
  }

  @Test
  void requestIdIsPassedUpstreamAndEchoed() throws Exception {
    start();
    String id = PROBE + UUID.randomUUID();
    HttpResponse<String> res = send(gateway, "GET", "/.well-known/jwks.json", id, null, Map.of());
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(id, res.headers().firstValue("X-Request-Id").orElse(null));
    assertEquals("/.well-known/jwks.json", SEEN.get(id));

    // Without one (or with one that is not a plain token) the gateway makes one up.
    for (String given : new String[] {null, "has spaces and \"quotes\""}) {
      HttpResponse<String> generated =
          send(gateway, "GET", "/.well-known/jwks.json", given, null, Map.of());
      String echoed = generated.headers().firstValue("X-Request-Id").orElse("");
      assertTrue(echoed.matches("[0-9a-f]{32}"), "generated request id: " + echoed);
    }
    // The gateway's own answers carry it too.
    String unknownId = PROBE + UUID.randomUUID();
    assertEquals(
        unknownId,
        send(gateway, "GET", "/nope", unknownId, null, Map.of())
            .headers()
            .firstValue("X-Request-Id")
            .orElse(null));
  }

  @Test
  void unreachableServiceIs502ProblemJson() throws Exception {
    start();
    String id = PROBE + UUID.randomUUID();
    HttpResponse<String> res = send(deadUpstreamGateway, "POST", "/auth/token", id, "{}", Map.of());
    assertEquals(502, res.statusCode(), res.body());
    assertEquals("SERVICE_UNAVAILABLE", problem(res).getString("code"));
    assertEquals(id, res.headers().firstValue("X-Request-Id").orElse(null));
  }

  /**
   * 400 requests from one client address are far beyond burst 100 at 50/s unless they took more
   * than six seconds. Against the gateway whose upstream is down, so auth-service gets no load, and
   * from an address of its own (X-Forwarded-For, trusted from loopback) so no other test is
   * limited.
   */
  @Test
  void floodFromOneClientIs429WithRetryAfter() throws Exception {
    start();
    String client = "192.0.2." + (1 + (int) (Math.random() * 250));
    HttpResponse<String> limited = null;
    for (int i = 0; i < 400 && limited == null; i++) {
      HttpResponse<String> res =
          send(
              deadUpstreamGateway,
              "GET",
              "/.well-known/jwks.json",
              null,
              null,
              Map.of("X-Forwarded-For", client));
      if (res.statusCode() == 429) {
        limited = res;
      } else {
        assertEquals(502, res.statusCode(), res.body());
      }
    }
    assertTrue(limited != null, "no 429 after 400 requests from " + client);
    assertEquals("TOO_MANY_REQUESTS", problem(limited).getString("code"));
    assertEquals("1", limited.headers().firstValue("Retry-After").orElse(null));
  }

  // ----------------------------------------------------------------------------- the gateway

  private synchronized void start() throws Exception {
    if (gateway != null) {
      return;
    }
    root = repoRoot();
    routes = readRoutes(root.resolve("gateway/routes.tsv"));
    gateway = startNginx(authUrl.getPort());
    deadUpstreamGateway = startNginx(freePort());
  }

  @AfterAll
  static void stopGateways() {
    for (Gateway g : new Gateway[] {gateway, deadUpstreamGateway}) {
      if (g != null) {
        g.process().destroy(); // SIGTERM: nginx's fast shutdown, workers included
        try {
          if (!g.process().waitFor(10, TimeUnit.SECONDS)) {
            g.process().destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        deleteTree(g.dir());
      }
    }
    gateway = null;
    deadUpstreamGateway = null;
  }

  private static Gateway startNginx(int upstreamPort) throws Exception {
    Path nginx = Path.of(NGINX);
    if (!Files.isExecutable(nginx)) {
      fail(
          "nginx is not installed ("
              + NGINX
              + " missing): GatewayRoutesTest runs the real gateway. "
              + "`dev/test` installs it through `dev/stack up`; or run `apt-get install -y nginx`.");
    }
    String conf = Files.readString(root.resolve("gateway/nginx.conf"));
    assertTrue(conf.contains("server " + AUTH_UPSTREAM + ";"), "auth upstream not found");
    assertTrue(conf.contains(LISTEN), "listen directive not found");
    int port = freePort();
    conf =
        conf.replace("server " + AUTH_UPSTREAM + ";", "server 127.0.0.1:" + upstreamPort + ";")
            .replace(LISTEN, "listen 127.0.0.1:" + port + ";");

    // World-readable: as root, nginx's workers run unprivileged inside this prefix.
    Path dir =
        Files.createTempDirectory(
            "gateway-test-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.createDirectories(dir.resolve("logs"));
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    Path errorLog = dir.resolve("logs/nginx-error.log");
    Process process =
        new ProcessBuilder(
                NGINX,
                "-p",
                dir + "/",
                "-c",
                confFile.toString(),
                "-e",
                errorLog.toString(),
                "-g",
                "daemon off; pid " + dir.resolve("nginx.pid") + ";")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("logs/console.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!listening(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        fail(
            "nginx did not start on port "
                + port
                + ":\n"
                + read(dir.resolve("logs/console.log"))
                + read(errorLog));
      }
      Thread.sleep(50);
    }
    return new Gateway(process, dir, port);
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: it is a temp dir
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  private static HttpResponse<String> send(
      Gateway g, String method, String path, String requestId, String body, Map<String, String> h)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (requestId != null) {
      b.header("X-Request-Id", requestId);
    }
    h.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonPath problem(HttpResponse<String> res) {
    assertEquals(
        "application/problem+json",
        res.headers().firstValue("Content-Type").orElse(null),
        res.body());
    return JsonPath.from(res.body());
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("gateway/nginx.conf"))) {
        return p;
      }
    }
    throw new IllegalStateException("no gateway/nginx.conf in " + dir + " or above");
  }

  private static List<Route> readRoutes(Path tsv) throws IOException {
    List<String> lines = Files.readAllLines(tsv);
    assertEquals("match-type\tpath\towner-service\tdocument", lines.get(0), "routes.tsv header");
    List<Route> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      assertEquals(4, f.length, "routes.tsv row: " + line);
      assertTrue(Set.of("exact", "prefix").contains(f[0]), "match type: " + line);
      assertTrue(f[1].startsWith("/"), "path: " + line);
      assertTrue(!f[0].equals("prefix") || f[1].endsWith("/"), "prefix must end in /: " + line);
      assertTrue(seen.add(f[0] + " " + f[1]), "duplicate row: " + line);
      result.add(new Route(f[0], f[1], f[2], f[3]));
    }
    return result;
  }
}
