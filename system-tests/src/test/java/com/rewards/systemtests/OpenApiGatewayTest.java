package com.rewards.systemtests;

import static com.rewards.systemtests.Repo.at;
import static com.rewards.systemtests.Repo.list;
import static com.rewards.systemtests.Repo.map;
import static com.rewards.systemtests.Repo.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's API documentation: gateway/openapi/openapi.json, the five services' OpenAPI
 * documents merged by gateway/merge-openapi, served by nginx at /openapi with Swagger UI at
 * /openapi/ui/. Runs after the services in the reactor, so their build-time documents ({@code
 * <service>/target/openapi/openapi.json}) are fresh: the committed merge must equal a new one,
 * cover every row of gateway/routes.tsv with the row's owner, and hold nothing the gateway does not
 * route to the service that documents it.
 */
class OpenApiGatewayTest {
  static final List<String> SERVICES =
      List.of(
          "auth-service",
          "loyalty-service",
          "referral-service",
          "payment-service",
          "analytics-service");
  static final Path MERGED = Repo.path("gateway/openapi/openapi.json");
  static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  /** path -> the service whose own document has it (/q/ paths left out, as the merge does). */
  static Map<String, String> servicePaths;

  static Map<String, Object> merged;

  @BeforeAll
  static void load() {
    servicePaths = new TreeMap<>();
    for (String service : SERVICES) {
      Path doc = Repo.path(service + "/target/openapi/openapi.json");
      assertTrue(
          Files.isRegularFile(doc),
          doc
              + " is missing: it is written when the service is built"
              + " (quarkus.smallrye-openapi.store-schema-directory); run ./mvnw verify from the"
              + " root, or package the services first");
      for (String path : map(at(Repo.loadAll(doc).get(0), "paths")).keySet()) {
        if (!path.startsWith("/q/")) {
          String before = servicePaths.put(path, service);
          assertTrue(before == null, path + " is documented by " + before + " and " + service);
        }
      }
    }
    merged = map(Repo.loadAll(MERGED).get(0));
  }

  @Test
  void committedDocumentIsWhatMergeOpenApiWrites() throws Exception {
    Process p =
        new ProcessBuilder("bash", Repo.path("gateway/merge-openapi").toString(), "--stdout")
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gateway/merge-openapi did not finish");
    assertEquals(0, p.exitValue(), "gateway/merge-openapi failed:\n" + err);
    String generated = new String(out, StandardCharsets.UTF_8);
    String committed = Repo.read(MERGED);
    if (!committed.equals(generated)) {
      List<String> a = committed.lines().toList();
      List<String> b = generated.lines().toList();
      int i = 0;
      while (i < Math.min(a.size(), b.size()) && a.get(i).equals(b.get(i))) {
        i++;
      }
      fail(
          "gateway/openapi/openapi.json is not what gateway/merge-openapi writes from the"
              + " services' documents (an API changed: run gateway/merge-openapi and commit the"
              + " file). First difference at line "
              + (i + 1)
              + ":\n  committed: "
              + (i < a.size() ? a.get(i) : "<end>")
              + "\n  generated: "
              + (i < b.size() ? b.get(i) : "<end>"));
    }
  }

  @Test
  void holdsEveryPathOfEveryServiceAndNothingElse() {
    Map<String, String> inMerged = new TreeMap<>();
    paths().forEach((path, item) -> inMerged.put(path, str(item, "x-service")));
    assertEquals(servicePaths, inMerged, "paths of the merged document -> x-service");
  }

  @Test
  void everyRoutesTsvRowIsDocumentedByItsOwner() {
    List<String> problems = new ArrayList<>();
    for (DeployManifestsTest.Row row : DeployManifestsTest.routeRows()) {
      boolean documented =
          paths().entrySet().stream()
              .anyMatch(
                  e ->
                      (row.type().equals("exact")
                              ? e.getKey().equals(row.path())
                              : e.getKey().startsWith(row.path()))
                          && row.owner().equals(str(e.getValue(), "x-service")));
      if (!documented) {
        problems.add(row.type() + " " + row.path() + " (" + row.owner() + ")");
      }
    }
    assertEquals(List.of(), problems, "routes.tsv rows with no path of their owner in /openapi");
  }

  @Test
  void everyDocumentedPathIsRoutedToItsService() {
    List<DeployManifestsTest.Row> rows = DeployManifestsTest.routeRows();
    List<String> problems = new ArrayList<>();
    paths()
        .forEach(
            (path, item) -> {
              String owner = routedTo(rows, path);
              if (!str(item, "x-service").equals(owner)) {
                problems.add(
                    path
                        + " of "
                        + str(item, "x-service")
                        + (owner == null ? " is not routed" : " is routed to " + owner));
              }
            });
    assertEquals(List.of(), problems, "paths the gateway does not route to their service");
  }

  /**
   * What a partner relies on: every reference resolves, every credential an operation asks for is
   * defined, every operation says its errors are problem+json, and the credentials and deprecations
   * the routes really have are the ones documented.
   */
  @Test
  void securityErrorsAndDeprecationsAreDocumented() {
    List<String> problems = new ArrayList<>();
    Map<String, Object> schemes = map(at(merged, "components", "securitySchemes"));
    String json = Repo.read(MERGED);
    Matcher ref = Pattern.compile("\"\\$ref\": \"#/components/([^/\"]+)/([^\"]+)\"").matcher(json);
    while (ref.find()) {
      if (at(merged, "components", ref.group(1), ref.group(2)) == null) {
        problems.add("unresolved $ref #/components/" + ref.group(1) + "/" + ref.group(2));
      }
    }
    if (!List.of("/")
        .equals(list(merged.get("servers")).stream().map(o -> str(o, "url")).toList())) {
      problems.add("servers must be just \"/\" (the gateway): " + merged.get("servers"));
    }
    operations()
        .forEach(
            (op, operation) -> {
              if (!(at(operation, "security") instanceof List)) {
                problems.add(op + " does not say which credentials it needs (security)");
              }
              for (Object requirement : list(at(operation, "security"))) {
                for (String scheme : map(requirement).keySet()) {
                  if (!schemes.containsKey(scheme)) {
                    problems.add(op + " requires undefined scheme " + scheme);
                  }
                }
              }
              if (at(operation, "responses", "default", "content", "application/problem+json")
                  == null) {
                problems.add(op + " has no problem+json default response");
              }
              map(at(operation, "responses"))
                  .forEach(
                      (code, response) -> {
                        if (code.matches("[45]\\d\\d")
                            && at(response, "content", "application/problem+json") == null) {
                          problems.add(op + " " + code + " is not problem+json");
                        }
                      });
            });

    expectScheme(problems, "user", "http", "bearer", null);
    expectScheme(problems, "server", "http", "bearer", null);
    expectScheme(problems, "user-jwt-token", "apiKey", null, "user-jwt-token");
    expectScheme(problems, "operator", "apiKey", null, "X-Operator-Key");
    expectScheme(problems, "referral-api-key", "http", "basic", null);
    expectScheme(problems, "referral-read-token", "http", "bearer", null);
    expectScheme(problems, "referral-write-token", "http", "bearer", null);
    expectScheme(problems, "stripe-signature", "apiKey", null, "Stripe-Signature");

    operations()
        .forEach(
            (op, operation) -> {
              Set<String> security = new TreeSet<>();
              list(at(operation, "security")).forEach(r -> security.addAll(map(r).keySet()));
              String path = op.substring(op.indexOf(' ') + 1);
              if (path.startsWith("/admin/v1/") && !security.equals(Set.of("operator"))) {
                problems.add(op + " must require operator only, has " + security);
              }
              if (path.equals("/webhooks/stripe") && !security.equals(Set.of("stripe-signature"))) {
                problems.add(op + " must require stripe-signature only, has " + security);
              }
              if (path.startsWith("/manage/v1/") && !security.contains("server")) {
                problems.add(op + " must accept a server token, has " + security);
              }
              if (path.startsWith("/api/v1/")
                  && !security.isEmpty()
                  && !security.contains("referral-api-key")) {
                problems.add(op + " must accept the referral API key, has " + security);
              }
              boolean deprecated = Boolean.TRUE.equals(at(operation, "deprecated"));
              boolean document002Payment =
                  path.equals("/api/users/payment") || path.startsWith("/api/users/payment/");
              if (deprecated != document002Payment) {
                problems.add(op + (deprecated ? " is" : " is not") + " deprecated");
              }
            });
    assertEquals(List.of(), problems);
  }

  /**
   * gateway/nginx.conf serves the committed document at /openapi as JSON and Swagger UI at
   * /openapi/ui/ with our start script, from the prefix layout dev/stack makes (openapi/ is
   * gateway/openapi/, swagger-ui/ the UI's files: here a stand-in page). Other paths stay the
   * gateway's problem 404. Copies rather than links: nginx's unprivileged workers may not be
   * allowed into the checkout.
   */
  @Test
  void nginxServesTheDocumentAndTheUi() throws Exception {
    Path nginx = Path.of("/usr/sbin/nginx");
    assertTrue(
        Files.isExecutable(nginx),
        "nginx is not installed: dev/test installs it through dev/stack up, or apt-get install -y"
            + " nginx");
    // World-readable: as root, nginx's workers run unprivileged.
    Path prefix =
        Files.createTempDirectory(
            "openapi-gateway-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Process process = null;
    try {
      Files.createDirectories(prefix.resolve("logs"));
      Files.createDirectories(prefix.resolve("openapi/ui"));
      for (String file : List.of("openapi.json", "ui/swagger-initializer.js")) {
        Files.copy(Repo.path("gateway/openapi/" + file), prefix.resolve("openapi/" + file));
      }
      Files.createDirectories(prefix.resolve("swagger-ui"));
      String page = "<!DOCTYPE html><title>stand-in for swagger-ui-dist's index.html</title>";
      Files.writeString(prefix.resolve("swagger-ui/index.html"), page);
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      String conf = Repo.read(Repo.path("gateway/nginx.conf"));
      assertTrue(conf.contains("listen 127.0.0.1:8080;"), "listen directive not found");
      Path confFile = prefix.resolve("nginx.conf");
      Files.writeString(
          confFile, conf.replace("listen 127.0.0.1:8080;", "listen 127.0.0.1:" + port + ";"));
      process =
          new ProcessBuilder(
                  nginx.toString(),
                  "-p",
                  prefix + "/",
                  "-c",
                  confFile.toString(),
                  "-e",
                  prefix.resolve("logs/nginx-error.log").toString(),
                  "-g",
                  "daemon off; pid " + prefix.resolve("nginx.pid") + ";")
              .redirectErrorStream(true)
              .redirectOutput(prefix.resolve("logs/console.log").toFile())
              .start();
      awaitListening(process, port, prefix);

      HttpClient http =
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // no redirects
      HttpResponse<String> doc = get(http, port, "/openapi");
      assertEquals(200, doc.statusCode(), doc.body());
      assertEquals("application/json", doc.headers().firstValue("Content-Type").orElse(null));
      assertEquals(Repo.read(MERGED), doc.body());

      HttpResponse<String> bare = get(http, port, "/openapi/ui");
      assertEquals(301, bare.statusCode());
      assertTrue(
          bare.headers().firstValue("Location").orElse("").endsWith("/openapi/ui/"),
          bare.headers().toString());

      HttpResponse<String> ui = get(http, port, "/openapi/ui/");
      assertEquals(200, ui.statusCode(), ui.body());
      assertEquals("text/html", ui.headers().firstValue("Content-Type").orElse(null));
      assertEquals(page, ui.body());

      HttpResponse<String> init = get(http, port, "/openapi/ui/swagger-initializer.js");
      assertEquals(200, init.statusCode(), init.body());
      assertEquals(
          "application/javascript", init.headers().firstValue("Content-Type").orElse(null));
      assertEquals(Repo.read(Repo.path("gateway/openapi/ui/swagger-initializer.js")), init.body());
      assertTrue(init.body().contains("url: \"/openapi\""), init.body());

      for (String other : List.of("/openapi/", "/openapi.json", "/openapi/ui/missing.js")) {
        HttpResponse<String> res = get(http, port, other);
        assertEquals(404, res.statusCode(), other);
        assertEquals(
            "application/problem+json",
            res.headers().firstValue("Content-Type").orElse(null),
            other);
      }
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openapi"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode(), post.body());
      assertTrue(post.body().contains("\"code\":\"METHOD_NOT_ALLOWED\""), post.body());
    } finally {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      try (var files = Files.walk(prefix)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  static Map<String, Object> paths() {
    return map(merged.get("paths"));
  }

  /** "METHOD path" -> operation, for every operation of the merged document. */
  static Map<String, Object> operations() {
    Map<String, Object> ops = new TreeMap<>();
    paths()
        .forEach(
            (path, item) ->
                map(item)
                    .forEach(
                        (key, op) -> {
                          if (METHODS.contains(key)) {
                            ops.put(key.toUpperCase() + " " + path, op);
                          }
                        }));
    return ops;
  }

  /** The owner nginx picks for a path: its exact row, else the longest prefix row; or null. */
  static String routedTo(List<DeployManifestsTest.Row> rows, String path) {
    return rows.stream()
        .filter(r -> r.type().equals("exact") && r.path().equals(path))
        .findFirst()
        .or(
            () ->
                rows.stream()
                    .filter(r -> r.type().equals("prefix") && path.startsWith(r.path()))
                    .max(Comparator.comparingInt(r -> r.path().length())))
        .map(DeployManifestsTest.Row::owner)
        .orElse(null);
  }

  static void expectScheme(
      List<String> problems, String name, String type, String scheme, String header) {
    Object s = at(merged, "components", "securitySchemes", name);
    if (s == null) {
      problems.add("no security scheme " + name);
      return;
    }
    if (!type.equals(str(s, "type"))
        || (scheme != null && !scheme.equals(str(s, "scheme")))
        || (header != null && !(header.equals(str(s, "name")) && "header".equals(str(s, "in"))))) {
      problems.add("security scheme " + name + " is " + s);
    }
  }

  static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void awaitListening(Process process, int port, Path prefix) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          fail(
              "nginx did not start on port "
                  + port
                  + ":\n"
                  + readIfExists(prefix.resolve("logs/console.log"))
                  + readIfExists(prefix.resolve("logs/nginx-error.log")));
        }
        Thread.sleep(50);
      }
    }
  }

  static String readIfExists(Path p) {
    return Files.exists(p) ? Repo.read(p) : "";
  }
}
