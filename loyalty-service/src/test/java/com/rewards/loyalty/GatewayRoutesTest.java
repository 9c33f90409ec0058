package com.rewards.loyalty;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * test's loyalty-service and checks that every loyalty-service row of gateway/routes.tsv reaches
 * the service, that nothing else does, the gateway's own answers (404, 413, 429, 502), and that a
 * partner and a user with real tokens get the service's answers through it. The machinery is
 * platform's {@link GatewayHarness}; {@link ProbeRecorder} lets it see what reached the service.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class GatewayRoutesTest {
  private static final String SERVICE = "loyalty-service";
  private static GatewayHarness harness;

  @TestHTTPResource("/")
  URL loyaltyUrl;

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
        harness = GatewayHarness.start(SERVICE, loyaltyUrl.getPort());
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
  void everyLoyaltyServiceRowReachesLoyaltyService() throws Exception {
    harness().assertEveryOwnRowReachesTheService();
  }

  /** auth-service's rows, /user/logout and /user/delete among them, go to auth only. */
  @Test
  void otherServicesRowsNeverReachLoyaltyService() throws Exception {
    harness().assertOtherServicesRowsNeverReachTheService();
  }

  @Test
  void everyPathLoyaltyServiceServesHasARoute() throws Exception {
    harness().assertEveryServedPathHasARoute(loyaltyUrl.toURI());
  }

  @Test
  void everyLoyaltyServiceRowIsServed() throws Exception {
    harness().assertEveryOwnRowIsServed(loyaltyUrl.toURI(), Set.of());
  }

  @Test
  void unknownPathsGetTheGatewaysProblem404() throws Exception {
    harness()
        .assertGateway404(
            List.of(
                "/partner",
                "/partner/",
                "/partner/getprog/x",
                "/partner/getprogs",
                "/user",
                "/user/infos/x",
                "/user/history",
                "/generosity",
                "/generosity/store/x",
                "/buffer",
                "/buffer/store/x",
                "/gift",
                "/gift/",
                "/gift/buy",
                "/ad",
                "/ad/bonus/1",
                "/ad/all",
                "/manage/v1",
                "/manage/v1/programs",
                "/manage/v1/program/x",
                "/manage/v1/actionsx",
                "/manage/v1/ledger",
                "/manage/v1/redemptions",
                "/manage/v1/users",
                "/q/health/ready",
                "/q/openapi"),
            List.of());
  }

  @Test
  void bodyLimitsAreTheServicesOwn() throws Exception {
    harness().assertBodyLimit("/generosity/store", 64 * 1024);
    // Up to 500 users a call: loyalty-service's own quarkus.http.limits.max-body-size.
    harness().assertBodyLimit("/generosity/multistore", 256 * 1024);
  }

  @Test
  void requestIdIsPassedUpstreamAndEchoed() throws Exception {
    HttpResponse<String> res =
        harness().assertRequestIdPassedUpstreamAndEchoed("/gift/list", Map.of());
    assertEquals(401, res.statusCode(), res.body());
    assertEquals("application/problem+json", res.headers().firstValue("Content-Type").get());
  }

  @Test
  void unreachableServiceIs502ProblemJson() throws Exception {
    harness().assertUnreachableServiceIs502("/generosity/store");
  }

  @Test
  void floodFromOneClientIs429WithRetryAfter() throws Exception {
    harness().assertFloodFromOneClientIs429("/partner/getprog");
  }

  /** Tokens and JSON bodies pass through nginx both ways: a partner sets up, its user earns. */
  @Test
  void partnerAndUserWorkThroughTheGateway() throws Exception {
    GatewayHarness h = harness();
    String clientId = "gw-" + UUID.randomUUID();
    Map<String, String> server = Map.of("Authorization", "Bearer " + TestTokens.server(clientId));
    Map<String, String> user =
        Map.of("Authorization", "Bearer " + TestTokens.user(clientId, "gw-user"));

    HttpResponse<String> res =
        h.send(
            h.gateway(),
            "PUT",
            "/manage/v1/program",
            null,
            "{\"name\":\"Gateway program\",\"pending_days\":0}",
            server);
    assertEquals(201, res.statusCode(), res.body());
    res =
        h.send(
            h.gateway(),
            "POST",
            "/manage/v1/actions",
            null,
            "{\"code\":\"visit\",\"name\":\"Visit\",\"points\":10}",
            server);
    assertEquals(201, res.statusCode(), res.body());
    res = h.send(h.gateway(), "GET", "/manage/v1/actions/visit", null, null, server);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(10, JsonPath.from(res.body()).getInt("points"));

    res =
        h.send(h.gateway(), "POST", "/generosity/store", null, "{\"action_code\":\"visit\"}", user);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(10, JsonPath.from(res.body()).getInt("data.balance"));

    // A user token is not a server token, through the gateway as well.
    res = h.send(h.gateway(), "GET", "/user/info?user_id=gw-user", null, null, user);
    assertEquals(403, res.statusCode(), res.body());
    res = h.send(h.gateway(), "GET", "/user/info?user_id=gw-user", null, null, server);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(10, JsonPath.from(res.body()).getInt("data.balance"));
  }
}
