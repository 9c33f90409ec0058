package com.rewards.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real gateway in front of one service's tests: nginx with {@code gateway/nginx.conf} in a temp
 * prefix, its listen port rewritten, the service's upstream pointed at the test's instance and
 * every other upstream at a closed port. A second gateway has every upstream closed (502 and 429
 * tests, which must not load the service). Plus the checks every service's {@code
 * GatewayRoutesTest} makes: that nginx.conf and {@code gateway/routes.tsv} agree, that each of the
 * service's rows reaches it unchanged, that other services' rows and unknown paths never do, and
 * that every path in its {@code /q/openapi} has a row of its own.
 *
 * <p>"Reached the service" is proven, not guessed from a status: the service records the {@code
 * X-Request-Id} and path of every probe request it receives. For that, the test application holds a
 * tiny bean (a class nested in the service's GatewayRoutesTest is one):
 *
 * <pre>{@code
 * @Singleton
 * static class ProbeRecorder {
 *   void install(@Observes Router router) {
 *     GatewayHarness.recordProbes(router);
 *   }
 * }
 * }</pre>
 *
 * <p>Then {@code GatewayHarness.start("my-service", url.getPort())} once (the port from
 * {@code @TestHTTPResource}), the {@code assert...} methods from the tests, and {@link #close()}
 * from {@code @AfterAll}.
 */
public final class GatewayHarness implements AutoCloseable {
  public static final String NGINX = "/usr/sbin/nginx";

  /** Request-id prefix of the probes; nginx passes such ids upstream unchanged. */
  public static final String PROBE = "gw-probe-";

  /** The gateway's own answer to every path it does not route. */
  public static final String GATEWAY_404 =
      "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
          + "\"code\":\"RECORD_NOT_FOUND\",\"detail\":\"No such route.\"}";

  private static final String LISTEN = "listen 127.0.0.1:8080;";
  private static final String TSV_HEADER = "match-type\tpath\towner-service\tdocument";
  private static final Pattern LOCATION =
      Pattern.compile("location\\s+(=|\\^~)\\s+(\\S+)\\s*\\{([^}]*)\\}", Pattern.DOTALL);
  private static final Pattern PROXY_PASS =
      Pattern.compile("proxy_pass\\s+http://([A-Za-z0-9_]+)\\s*;");
  private static final Pattern UPSTREAM =
      Pattern.compile("upstream\\s+([A-Za-z0-9_]+)\\s*\\{([^}]*)\\}", Pattern.DOTALL);
  private static final Pattern SERVER = Pattern.compile("(\\bserver\\s+)[^\\s;]+");

  /** Probe request id -> the path the service saw for it. */
  private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One routes.tsv row. */
  public record Route(String matchType, String path, String owner, String document) {
    public boolean exact() {
      return matchType.equals("exact");
    }

    public boolean matches(String p) {
      return exact() ? p.equals(path) : p.startsWith(path);
    }

    /** A path this row routes: its own, or one below the prefix. */
    public String probePath() {
      return exact() ? path : path + "gateway-probe";
    }
  }

  /** One nginx master started with daemon off, so it is our child and dies with destroy(). */
  public record Gateway(Process process, Path dir, int port) {
    public URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }
  }

  private final String service;
  private final List<Route> routes;
  private final Socket closedPort;
  private final List<Gateway> started = new ArrayList<>();
  private Gateway gateway;
  private Gateway deadUpstreamGateway;

  private GatewayHarness(String service, List<Route> routes, Socket closedPort) {
    this.service = service;
    this.routes = routes;
    this.closedPort = closedPort;
  }

  // --------------------------------------------------------------------- service side

  /**
   * Installs, first of all handlers, the recorder of probe requests (X-Request-Id starting with
   * {@link #PROBE}). Call from an {@code @Observes Router} method of a bean in the test
   * application.
   */
  public static void recordProbes(Router router) {
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

  public static String newProbeId() {
    return PROBE + UUID.randomUUID();
  }

  /** The path the service saw for the probe, or null if the probe never reached it. */
  public static String seen(String probeId) {
    return SEEN.get(probeId);
  }

  // --------------------------------------------------------------------- start and stop

  /**
   * Starts both gateways for {@code service} (its routes.tsv owner name, e.g. {@code auth-service};
   * its nginx upstream is the name with {@code _} for {@code -}) listening on {@code servicePort}.
   */
  public static GatewayHarness start(String service, int servicePort) throws Exception {
    List<Route> routes = readRoutes();
    assertTrue(
        routes.stream().anyMatch(r -> r.owner().equals(service)),
        "routes.tsv has no " + service + " rows");
    // Bound but never listening: connections to it are refused, and nothing else can take it.
    Socket closed = new Socket();
    closed.bind(new InetSocketAddress("127.0.0.1", 0));
    GatewayHarness h = new GatewayHarness(service, routes, closed);
    try {
      String conf = Files.readString(repoRoot().resolve("gateway/nginx.conf"));
      h.gateway = h.startNginx(conf, service, servicePort);
      h.deadUpstreamGateway = h.startNginx(conf, null, 0);
      return h;
    } catch (Exception | Error e) {
      h.close();
      throw e;
    }
  }

  public Gateway gateway() {
    return gateway;
  }

  /** The gateway whose every upstream is a closed port. */
  public Gateway deadUpstreamGateway() {
    return deadUpstreamGateway;
  }

  public String service() {
    return service;
  }

  public List<Route> routes() {
    return routes;
  }

  public List<Route> ownRoutes() {
    return routes.stream().filter(r -> r.owner().equals(service)).toList();
  }

  @Override
  public void close() {
    for (Gateway g : started) {
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
    started.clear();
    try {
      closedPort.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /**
   * nginx with the repository's conf, listening on a free port; the upstream of {@code owner} (if
   * any) pointed at {@code ownerPort}, every other upstream at the closed port.
   */
  private Gateway startNginx(String originalConf, String owner, int ownerPort) throws Exception {
    Path nginx = Path.of(NGINX);
    if (!Files.isExecutable(nginx)) {
      fail(
          "nginx is not installed ("
              + NGINX
              + " missing): GatewayRoutesTest runs the real gateway. "
              + "`dev/test` installs it through `dev/stack up`; or run `apt-get install -y nginx`.");
    }
    String conf = stripComments(originalConf);
    assertTrue(conf.contains(LISTEN), "listen directive not found");
    int port = freePort();
    String ownUpstream = owner == null ? null : upstreamName(owner);
    Set<String> upstreams = new TreeSet<>();
    conf =
        UPSTREAM
            .matcher(conf)
            .replaceAll(
                m -> {
                  upstreams.add(m.group(1));
                  int to = m.group(1).equals(ownUpstream) ? ownerPort : closedPort.getLocalPort();
                  String body =
                      SERVER
                          .matcher(m.group(2))
                          .replaceAll(
                              s -> Matcher.quoteReplacement(s.group(1) + "127.0.0.1:" + to));
                  return Matcher.quoteReplacement("upstream " + m.group(1) + " {" + body + "}");
                });
    if (ownUpstream != null) {
      assertTrue(
          upstreams.contains(ownUpstream),
          "no `upstream " + ownUpstream + "` in gateway/nginx.conf; found " + upstreams);
    }
    conf = conf.replace(LISTEN, "listen 127.0.0.1:" + port + ";");

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
    Gateway g = new Gateway(process, dir, port);
    started.add(g);
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
    return g;
  }

  // --------------------------------------------------------------------- routes.tsv, nginx.conf

  public static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("gateway/nginx.conf"))) {
        return p;
      }
    }
    throw new IllegalStateException("no gateway/nginx.conf in " + dir + " or above");
  }

  /** The rows of gateway/routes.tsv, checked: header, four fields, known match types, no dups. */
  public static List<Route> readRoutes() throws IOException {
    List<String> lines = Files.readAllLines(repoRoot().resolve("gateway/routes.tsv"));
    assertEquals(TSV_HEADER, lines.get(0), "routes.tsv header");
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
      assertTrue(f[2].matches("[a-z][a-z0-9-]*"), "owner: " + line);
      assertTrue(seen.add(f[0] + " " + f[1]), "duplicate row: " + line);
      result.add(new Route(f[0], f[1], f[2], f[3]));
    }
    return result;
  }

  /**
   * Every {@code location = PATH} / {@code location ^~ PATH} of gateway/nginx.conf that proxies is
   * a routes.tsv row with that owner (upstream name with {@code -} for {@code _}) and vice versa;
   * every proxied-to upstream is defined; there are no other kinds of locations.
   */
  public static void assertNginxConfMatchesRoutesTsv() throws IOException {
    String conf = stripComments(Files.readString(repoRoot().resolve("gateway/nginx.conf")));
    Set<String> upstreams = new TreeSet<>();
    Matcher u = UPSTREAM.matcher(conf);
    while (u.find()) {
      upstreams.add(u.group(1));
    }
    Set<String> inConf = new TreeSet<>();
    Matcher m = LOCATION.matcher(conf);
    while (m.find()) {
      Matcher pass = PROXY_PASS.matcher(m.group(3));
      if (pass.find()) {
        assertTrue(
            upstreams.contains(pass.group(1)),
            "location " + m.group(2) + " proxies to undefined upstream " + pass.group(1));
        String type = m.group(1).equals("=") ? "exact" : "prefix";
        inConf.add(type + " " + m.group(2) + " " + pass.group(1).replace('_', '-'));
      }
    }
    Set<String> inTable = new TreeSet<>();
    for (Route r : readRoutes()) {
      inTable.add(r.matchType() + " " + r.path() + " " + r.owner());
    }
    assertEquals(inTable, inConf, "gateway/nginx.conf proxies differ from gateway/routes.tsv");
    assertFalse(
        Pattern.compile("^\\s*location\\s+(?!=|\\^~|@|/\\s*\\{)", Pattern.MULTILINE)
            .matcher(conf)
            .find(),
        "only exact (=), prefix (^~), named and the catch-all / locations are expected");
  }

  // --------------------------------------------------------------------- the checks

  /** GET and POST of every row of the service reach it with the path unchanged. */
  public void assertEveryOwnRowReachesTheService() throws Exception {
    List<Route> own = ownRoutes();
    assertFalse(own.isEmpty(), "routes.tsv has no " + service + " rows");
    for (Route r : own) {
      String path = r.probePath();
      for (String method : List.of("GET", "POST")) {
        String id = newProbeId();
        HttpResponse<String> res = send(gateway, method, path, id, "{}", Map.of());
        assertEquals(
            path,
            SEEN.get(id),
            method
                + " "
                + path
                + " did not reach "
                + service
                + " unchanged; gateway said "
                + res.statusCode()
                + " "
                + res.body());
        assertNotEquals(GATEWAY_404, res.body(), method + " " + path);
        assertEquals(id, res.headers().firstValue("X-Request-Id").orElse(null), path);
      }
    }
  }

  /**
   * Rows of other services go to their upstreams (closed here): the gateway's 502, never this
   * service.
   */
  public void assertOtherServicesRowsNeverReachTheService() throws Exception {
    for (Route r : routes) {
      if (r.owner().equals(service)) {
        continue;
      }
      String path = r.probePath();
      for (String method : List.of("GET", "POST")) {
        String id = newProbeId();
        HttpResponse<String> res = send(gateway, method, path, id, "{}", Map.of());
        assertEquals(
            502, res.statusCode(), method + " " + path + " (" + r.owner() + "): " + res.body());
        assertEquals("SERVICE_UNAVAILABLE", problem(res).getString("code"), path);
        assertEquals(id, res.headers().firstValue("X-Request-Id").orElse(null), path);
        assertFalse(SEEN.containsKey(id), path + " (" + r.owner() + ") reached " + service);
      }
    }
  }

  /** Every path of the service's OpenAPI document (but /q/) is routed to this service. */
  public void assertEveryServedPathHasARoute(URI serviceBase) throws Exception {
    List<String> unrouted = new ArrayList<>();
    for (String p : openApiPaths(serviceBase)) {
      if (!p.startsWith("/q/") && !owner(p).equals(service)) {
        unrouted.add(p + (owner(p).isEmpty() ? "" : " (routed to " + owner(p) + ")"));
      }
    }
    assertTrue(unrouted.isEmpty(), service + " paths missing from routes.tsv: " + unrouted);
  }

  /**
   * The other way round: every exact row of the service is a path of its OpenAPI document, and
   * every prefix row has one below it, so no row routes to nothing. {@code notInOpenApi}: exact
   * rows the service serves outside its OpenAPI document.
   */
  public void assertEveryOwnRowIsServed(URI serviceBase, Set<String> notInOpenApi)
      throws Exception {
    Set<String> served = openApiPaths(serviceBase);
    List<String> dead = new ArrayList<>();
    for (Route r : ownRoutes()) {
      boolean ok =
          r.exact()
              ? served.contains(r.path()) || notInOpenApi.contains(r.path())
              : served.stream().anyMatch(p -> p.startsWith(r.path()));
      if (!ok) {
        dead.add(r.matchType() + " " + r.path());
      }
    }
    assertTrue(dead.isEmpty(), "routes.tsv rows " + service + " does not serve: " + dead);
  }

  /**
   * The gateway's own problem+json 404, for GET and POST, never reaching the service: for each of
   * {@code unrouted} (asserted to match no routes.tsv row), each of {@code carvedOut} (inside a
   * routed prefix but kept out by nginx.conf), and every prefix row's path without its trailing
   * slash that no row routes (nginx would otherwise 301 it to the prefix).
   */
  public void assertGateway404(List<String> unrouted, List<String> carvedOut) throws Exception {
    Set<String> all = new LinkedHashSet<>(carvedOut);
    for (String path : unrouted) {
      assertTrue(routes.stream().noneMatch(r -> r.matches(path)), path + " is routed");
      all.add(path);
    }
    for (Route r : routes) {
      String bare = r.path().substring(0, r.path().length() - 1);
      if (!r.exact() && routes.stream().noneMatch(o -> o.matches(bare))) {
        all.add(bare);
      }
    }
    for (String path : all) {
      for (String method : List.of("GET", "POST")) {
        String id = newProbeId();
        HttpResponse<String> res = send(gateway, method, path, id, "{}", Map.of());
        assertEquals(404, res.statusCode(), method + " " + path);
        assertEquals(
            "application/problem+json", res.headers().firstValue("Content-Type").orElse(null));
        assertEquals(GATEWAY_404, res.body(), method + " " + path);
        assertEquals(id, res.headers().firstValue("X-Request-Id").orElse(null));
        assertFalse(SEEN.containsKey(id), path + " reached " + service);
      }
    }
  }

  /**
   * A body of exactly {@code limitBytes} reaches the service; one byte more is the gateway's 413
   * problem and never reaches it.
   */
  public void assertBodyLimit(String path, int limitBytes) throws Exception {
    String id = newProbeId();
    HttpResponse<String> fits = send(gateway, "POST", path, id, jsonOfSize(limitBytes), Map.of());
    assertEquals(path, SEEN.get(id), "a body of " + limitBytes + " bytes did not reach " + service);
    assertNotEquals(413, fits.statusCode(), fits.body());

    String over = newProbeId();
    HttpResponse<String> res =
        send(gateway, "POST", path, over, jsonOfSize(limitBytes + 1), Map.of());
    assertEquals(413, res.statusCode(), res.body());
    JsonPath problem = problem(res);
    assertEquals("PAYLOAD_TOO_LARGE", problem.getString("code"));
    assertEquals(413, problem.getInt("status"));
    assertEquals(over, res.headers().firstValue("X-Request-Id").orElse(null));
    assertFalse(SEEN.containsKey(over), "the oversized body reached " + service);
  }

  /**
   * The client's X-Request-Id reaches the service and comes back; without one, or with one that is
   * not a plain token, the gateway makes one up; the gateway's own answers carry it too. Returns
   * the service's answer to the GET of {@code path} (with {@code headers}).
   */
  public HttpResponse<String> assertRequestIdPassedUpstreamAndEchoed(
      String path, Map<String, String> headers) throws Exception {
    String id = newProbeId();
    HttpResponse<String> res = send(gateway, "GET", path, id, null, headers);
    assertEquals(id, res.headers().firstValue("X-Request-Id").orElse(null));
    assertEquals(path, SEEN.get(id));

    for (String given : new String[] {null, "has spaces and \"quotes\""}) {
      HttpResponse<String> generated = send(gateway, "GET", path, given, null, headers);
      String echoed = generated.headers().firstValue("X-Request-Id").orElse("");
      assertTrue(echoed.matches("[0-9a-f]{32}"), "generated request id: " + echoed);
    }
    String unknownId = newProbeId();
    assertEquals(
        unknownId,
        send(gateway, "GET", "/nope", unknownId, null, Map.of())
            .headers()
            .firstValue("X-Request-Id")
            .orElse(null));
    return res;
  }

  /** With the service down, the gateway answers a 502 problem carrying the request id. */
  public void assertUnreachableServiceIs502(String path) throws Exception {
    String id = newProbeId();
    HttpResponse<String> res = send(deadUpstreamGateway, "POST", path, id, "{}", Map.of());
    assertEquals(502, res.statusCode(), res.body());
    assertEquals("SERVICE_UNAVAILABLE", problem(res).getString("code"));
    assertEquals(id, res.headers().firstValue("X-Request-Id").orElse(null));
  }

  /**
   * 400 requests from one client address are far beyond burst 100 at 50/s unless they took more
   * than six seconds. Against the gateway whose upstreams are down, so the service gets no load,
   * and from an address of its own (X-Forwarded-For, trusted from loopback) so no other test is
   * limited.
   */
  public void assertFloodFromOneClientIs429(String path) throws Exception {
    String client = "192.0.2." + (1 + (int) (Math.random() * 250));
    HttpResponse<String> limited = null;
    for (int i = 0; i < 400 && limited == null; i++) {
      HttpResponse<String> res =
          send(deadUpstreamGateway, "GET", path, null, null, Map.of("X-Forwarded-For", client));
      if (res.statusCode() == 429) {
        limited = res;
      } else {
        assertEquals(502, res.statusCode(), res.body());
      }
    }
    assertNotNull(limited, "no 429 after 400 requests from " + client);
    assertEquals("TOO_MANY_REQUESTS", problem(limited).getString("code"));
    assertEquals("1", limited.headers().firstValue("Retry-After").orElse(null));
  }

  // --------------------------------------------------------------------- helpers

  /** The owner of the row nginx would pick for {@code path} (longest prefix), or "". */
  public String owner(String path) {
    return routes.stream()
        .filter(r -> r.exact() && r.path().equals(path))
        .findFirst()
        .or(
            () ->
                routes.stream()
                    .filter(r -> !r.exact() && path.startsWith(r.path()))
                    .max(Comparator.comparingInt(r -> r.path().length())))
        .map(Route::owner)
        .orElse("");
  }

  public HttpResponse<String> send(
      Gateway g, String method, String path, String requestId, String body, Map<String, String> h)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(g.uri(path))
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

  /** The body as problem+json (asserting the content type). */
  public static JsonPath problem(HttpResponse<String> res) {
    assertEquals(
        "application/problem+json",
        res.headers().firstValue("Content-Type").orElse(null),
        res.body());
    return JsonPath.from(res.body());
  }

  private static Set<String> openApiPaths(URI serviceBase) throws Exception {
    HttpResponse<String> res =
        HTTP.send(
            HttpRequest.newBuilder(serviceBase.resolve("/q/openapi?format=json")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    Map<String, Object> paths = JsonPath.from(res.body()).getMap("paths");
    return new TreeSet<>(paths.keySet());
  }

  /** An ASCII JSON object of exactly {@code bytes} bytes. */
  private static String jsonOfSize(int bytes) {
    String head = "{\"padding\":\"";
    String tail = "\"}";
    return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
  }

  private static String upstreamName(String service) {
    return service.replace('-', '_');
  }

  /** nginx comments: from a # at a line's start or after blank space to the end of the line. */
  private static String stripComments(String conf) {
    return conf.replaceAll("(?m)(^|\\s)#[^\\n]*", "$1");
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
}
