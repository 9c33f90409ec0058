package com.rewards.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.platform.testing.GatewayHarness;
import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the real gateway (nginx with gateway/nginx.conf, only its ports rewritten) in front of this
 * test's analytics-service and checks that every analytics-service row of gateway/routes.tsv
 * reaches the service, that nothing else does, the gateway's own answers (404, 413, 429, 502), and
 * that an app's user (token in {@code user-jwt-token}) and a partner's server get the service's
 * answers through it, a full-size batch included. The machinery is platform's {@link
 * GatewayHarness}; {@link ProbeRecorder} lets it see what reached the service.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class GatewayRoutesTest {
  private static final String SERVICE = "analytics-service";
  private static final String DROP = "/fe/analytics/px-tracker/events/gw_event/drop";
  private static final String BATCH = "/fe/analytics/px-tracker/events/batch";
  private static GatewayHarness harness;

  @TestHTTPResource("/")
  URL analyticsUrl;

  /** Part of the test application: records probe requests before any other handler runs. */
  @Singleton
  static class ProbeRecorder {
    void install(@Observes Router router) {
      GatewayHarness.recordProbes(router);
    }
  }

  private GatewayHarness harness() throws Exception {
    synchronized (GatewayRoutesTest.class) {
      if (harness == null) {
        harness = GatewayHarness.start(SERVICE, analyticsUrl.getPort());
      }
      return harness;
    }
  }

  @AfterAll
  static void stopGateways() {
    if (harness != null) {
      harness.close();
      harness = null;
    }
  }

  @Test
  void nginxConfRoutesExactlyTheRowsOfRoutesTsv() throws Exception {
    GatewayHarness.assertNginxConfMatchesRoutesTsv();
  }

  @Test
  void everyAnalyticsServiceRowReachesAnalyticsService() throws Exception {
    harness().assertEveryOwnRowReachesTheService();
  }

  /** auth-service's /fe/users/ beside /fe/analytics/ stays auth's. */
  @Test
  void otherServicesRowsNeverReachAnalyticsService() throws Exception {
    harness().assertOtherServicesRowsNeverReachTheService();
  }

  @Test
  void everyPathAnalyticsServiceServesHasARoute() throws Exception {
    harness().assertEveryServedPathHasARoute(analyticsUrl.toURI());
  }

  @Test
  void everyAnalyticsServiceRowIsServed() throws Exception {
    harness().assertEveryOwnRowIsServed(analyticsUrl.toURI(), Set.of());
  }

  @Test
  void unknownPathsGetTheGatewaysProblem404() throws Exception {
    harness()
        .assertGateway404(
            List.of(
                "/fe",
                "/fe/",
                "/fe/analytics",
                "/fe/analytic/px-tracker/events/e1/drop",
                "/fe/analyticsx/px-tracker/events/e1/drop",
                "/fe/px-tracker/events/e1/drop",
                "/px-tracker/events/e1/drop",
                "/manage/v1/analytics",
                "/manage/v1/analyticsx/participation",
                "/manage/v2/analytics/participation",
                "/q/health/ready",
                "/q/openapi"),
            List.of());
  }

  /**
   * The batch takes analytics-service's 500 KB (512000 bytes); a drop takes the gateway's default
   * 64k, and the service answers its own 16 KB limit (next test).
   */
  @Test
  void bodyLimitsAreTheServicesOwn() throws Exception {
    harness().assertBodyLimit(BATCH, 512_000);
    harness().assertBodyLimit(DROP, 64 * 1024);
  }

  /** Between 16 KB and 64k a drop passes the gateway and gets analytics-service's own 413. */
  @Test
  void oversizedDropIsTheServicesOwn413() throws Exception {
    GatewayHarness h = harness();
    String body = "{\"padding\":\"" + "x".repeat(16_384) + "\"}";
    String id = GatewayHarness.newProbeId();
    HttpResponse<String> res = h.send(h.gateway(), "POST", DROP, id, body, user(newPartner()));
    assertEquals(413, res.statusCode(), res.body());
    assertEquals("PAYLOAD_TOO_LARGE", GatewayHarness.problem(res).getString("code"));
    assertEquals(DROP, GatewayHarness.seen(id), "the drop did not reach " + SERVICE);
  }

  @Test
  void requestIdIsPassedUpstreamAndEchoed() throws Exception {
    HttpResponse<String> res =
        harness()
            .assertRequestIdPassedUpstreamAndEchoed(
                "/fe/analytics/participation/history", Map.of());
    assertEquals(401, res.statusCode(), res.body());
    assertEquals("application/problem+json", res.headers().firstValue("Content-Type").get());
  }

  @Test
  void unreachableServiceIs502ProblemJson() throws Exception {
    harness().assertUnreachableServiceIs502(DROP);
    harness().assertUnreachableServiceIs502(BATCH);
  }

  @Test
  void floodFromOneClientIs429WithRetryAfter() throws Exception {
    harness().assertFloodFromOneClientIs429(DROP);
  }

  /**
   * The user token in document 003's {@code user-jwt-token} header passes through nginx: a drop is
   * acknowledged, a batch of 100 events of nearly 500 KB is stored whole, the user reads their
   * history; the partner's server reads the program's statistics, and tokens keep their roles.
   */
  @Test
  void userAndPartnerWorkThroughTheGateway() throws Exception {
    GatewayHarness h = harness();
    String clientId = newPartner();
    Map<String, String> user = user(clientId);
    Map<String, String> server = Map.of("Authorization", "Bearer " + TestTokens.server(clientId));

    HttpResponse<String> res =
        h.send(h.gateway(), "POST", DROP, null, "{\"screen\":\"home\",\"count\":1}", user);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("event dropped successfully", JsonPath.from(res.body()).getString("msg"));

    StringBuilder batch = new StringBuilder("{\"events\":[");
    String value = "v".repeat(1000);
    for (int i = 0; i < 100; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"event_id\":\"gw_batch\",\"attributes\":{");
      for (int a = 0; a < 5; a++) {
        batch.append(a == 0 ? "" : ",").append("\"a").append(a).append("\":\"");
        batch.append(value).append("\"");
      }
      batch.append("}}");
    }
    batch.append("]}");
    assertTrue(
        batch.length() > 64 * 1024 && batch.length() <= 512_000, "batch of " + batch.length());
    res = h.send(h.gateway(), "POST", BATCH, null, batch.toString(), user);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(100, JsonPath.from(res.body()).getInt("dropped"), res.body());

    res = h.send(h.gateway(), "GET", "/fe/analytics/participation/history", null, null, user);
    assertEquals(200, res.statusCode(), res.body());
    res = h.send(h.gateway(), "GET", "/manage/v1/analytics/participation", null, null, server);
    assertEquals(200, res.statusCode(), res.body());

    // A server token is not a user token and the reverse, through the gateway as well.
    res = h.send(h.gateway(), "POST", DROP, null, "{}", server);
    assertEquals(403, res.statusCode(), res.body());
    res = h.send(h.gateway(), "GET", "/manage/v1/analytics/participation", null, null, user);
    assertEquals(403, res.statusCode(), res.body());
  }

  private static String newPartner() {
    return "gw-" + UUID.randomUUID();
  }

  private static Map<String, String> user(String clientId) {
    return Map.of("user-jwt-token", TestTokens.user(clientId, "gw-user"));
  }
}
