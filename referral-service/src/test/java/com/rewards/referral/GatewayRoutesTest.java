package com.rewards.referral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * test's referral-service and checks that every referral-service row of gateway/routes.tsv reaches
 * the service, that nothing else does, the gateway's own answers (404, 413, 429, 502), and that a
 * partner's server (platform token, then API key) and an anonymous app get the service's answers
 * through it. The machinery is platform's {@link GatewayHarness}; {@link ProbeRecorder} lets it see
 * what reached the service.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class GatewayRoutesTest {
  private static final String SERVICE = "referral-service";
  private static GatewayHarness harness;

  @TestHTTPResource("/")
  URL referralUrl;

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
        harness = GatewayHarness.start(SERVICE, referralUrl.getPort());
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
  void everyReferralServiceRowReachesReferralService() throws Exception {
    harness().assertEveryOwnRowReachesTheService();
  }

  /** auth-service's /api/users/ and loyalty's /manage/v1/... stay theirs beside /api/v1/. */
  @Test
  void otherServicesRowsNeverReachReferralService() throws Exception {
    harness().assertOtherServicesRowsNeverReachTheService();
  }

  @Test
  void everyPathReferralServiceServesHasARoute() throws Exception {
    harness().assertEveryServedPathHasARoute(referralUrl.toURI());
  }

  @Test
  void everyReferralServiceRowIsServed() throws Exception {
    harness().assertEveryOwnRowIsServed(referralUrl.toURI(), Set.of());
  }

  @Test
  void unknownPathsGetTheGatewaysProblem404() throws Exception {
    harness()
        .assertGateway404(
            List.of(
                "/api",
                "/api/",
                "/api/v1",
                "/api/v2/acme/open/code/ABC",
                "/api/v10/acme/open/code/ABC",
                "/api/v1acme/open/code/ABC",
                "/manage/v1/referral",
                "/manage/v1/referrals",
                "/manage/v1/referrals/program",
                "/manage/v1/referralx/program",
                "/manage/v2/referral/program",
                "/q/health/ready",
                "/q/openapi"),
            List.of());
  }

  @Test
  void bodyLimitsAreTheServicesOwn() throws Exception {
    // referral-service's quarkus.http.limits.max-body-size is 64K, the gateway's default.
    harness().assertBodyLimit("/api/v1/gw-tenant/open/account/acc-1/user/u-1", 64 * 1024);
    harness().assertBodyLimit("/manage/v1/referral/api-keys", 64 * 1024);
  }

  /** The service's own 404 (with Advocate's members) comes back unchanged, with the request id. */
  @Test
  void requestIdIsPassedUpstreamAndEchoed() throws Exception {
    HttpResponse<String> res =
        harness()
            .assertRequestIdPassedUpstreamAndEchoed("/api/v1/gw-tenant/open/code/NOSUCH", Map.of());
    assertEquals(404, res.statusCode(), res.body());
    JsonPath problem = GatewayHarness.problem(res);
    assertEquals(404, problem.getInt("statusCode"), res.body());
    assertNotNull(problem.getString("apiErrorCode"), res.body());
    assertFalse(res.body().equals(GatewayHarness.GATEWAY_404));
  }

  @Test
  void unreachableServiceIs502ProblemJson() throws Exception {
    harness().assertUnreachableServiceIs502("/api/v1/gw-tenant/open/code/ABC");
    harness().assertUnreachableServiceIs502("/manage/v1/referral/program");
  }

  /** The public code lookup is what an enumerating client would hammer. */
  @Test
  void floodFromOneClientIs429WithRetryAfter() throws Exception {
    harness().assertFloodFromOneClientIs429("/api/v1/gw-tenant/open/code/ABC");
  }

  /**
   * Tokens, Basic credentials and JSON pass through nginx both ways: the partner's server sets up
   * the program and an API key, creates two users with the key, anyone looks a code up, the key
   * applies it and lists the referral.
   */
  @Test
  void partnerAndAppWorkThroughTheGateway() throws Exception {
    GatewayHarness h = harness();
    String tenant = "gw-" + UUID.randomUUID();
    Map<String, String> server = Map.of("Authorization", "Bearer " + TestTokens.server(tenant));

    HttpResponse<String> res =
        h.send(
            h.gateway(),
            "PUT",
            "/manage/v1/referral/program",
            null,
            "{\"referrerPoints\":300,\"referredPoints\":150,\"flagHourlyThreshold\":0}",
            server);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(300, JsonPath.from(res.body()).getInt("referrer_points"));

    res =
        h.send(
            h.gateway(), "POST", "/manage/v1/referral/api-keys", null, "{\"name\":\"gw\"}", server);
    assertEquals(201, res.statusCode(), res.body());
    String apiKey = JsonPath.from(res.body()).getString("key");
    Map<String, String> withKey = Map.of("Authorization", ReferralFixtures.basic(apiKey));

    String open = "/api/v1/" + tenant + "/open/";
    res =
        h.send(
            h.gateway(),
            "POST",
            open + "account/acc-1/user/gw-referrer",
            null,
            "{\"firstName\":\"Gina\",\"lastName\":\"Gateway\",\"email\":\"gina@example.com\"}",
            withKey);
    assertEquals(201, res.statusCode(), res.body());
    String code = JsonPath.from(res.body()).getString("referralCode");
    assertEquals("GINAGATEWAY", code);

    // Public: no credentials at all.
    res = h.send(h.gateway(), "GET", open + "code/" + code.toLowerCase(), null, null, Map.of());
    assertEquals(200, res.statusCode(), res.body());
    JsonPath info = JsonPath.from(res.body());
    assertTrue(info.getBoolean("valid"), res.body());
    assertEquals("Gina", info.getString("referrerFirstName"));
    assertEquals(300, info.getInt("reward.referrerPoints"));
    assertEquals(150, info.getInt("reward.referredPoints"));

    res =
        h.send(
            h.gateway(),
            "POST",
            open + "account/acc-2/user/gw-referred",
            null,
            "{\"firstName\":\"Rita\",\"lastName\":\"Referred\",\"email\":\"rita@example.com\"}",
            withKey);
    assertEquals(201, res.statusCode(), res.body());
    res =
        h.send(
            h.gateway(),
            "POST",
            open + "code/" + code + "/account/acc-2/user/gw-referred",
            null,
            null,
            withKey);
    assertEquals(201, res.statusCode(), res.body());
    assertEquals("PENDING", JsonPath.from(res.body()).getString("state"), res.body());

    res =
        h.send(
            h.gateway(),
            "GET",
            open + "referrals?referringAccountId=acc-1&referringUserId=gw-referrer",
            null,
            null,
            withKey);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(1, JsonPath.from(res.body()).getInt("totalCount"), res.body());

    // Without credentials, the service's 401 (not the gateway's), with Advocate's members.
    res =
        h.send(
            h.gateway(),
            "POST",
            open + "code/" + code + "/account/acc-3/user/gw-nobody",
            null,
            null,
            Map.of());
    assertEquals(401, res.statusCode(), res.body());
    assertEquals(401, GatewayHarness.problem(res).getInt("statusCode"), res.body());
    // Management without the server token (or the key): the service's 401.
    res = h.send(h.gateway(), "GET", "/manage/v1/referral/program", null, null, Map.of());
    assertEquals(401, res.statusCode(), res.body());
    res = h.send(h.gateway(), "GET", "/manage/v1/referral/program", null, null, server);
    assertEquals(200, res.statusCode(), res.body());
  }
}
