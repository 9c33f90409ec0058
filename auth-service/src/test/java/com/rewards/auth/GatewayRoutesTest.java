package com.rewards.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.GatewayHarness;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the real gateway (nginx with gateway/nginx.conf, only its ports rewritten) in front of this
 * test's auth-service and checks that every auth-service row of gateway/routes.tsv reaches the
 * service, that nothing else does, and the gateway's own answers (404, 413, 429, 502). The
 * machinery is platform's {@link GatewayHarness}; {@link ProbeRecorder} lets it see what reached
 * auth-service.
 */
@QuarkusTest
class GatewayRoutesTest {
  private static final String SERVICE = "auth-service";
  private static GatewayHarness harness;

  @TestHTTPResource("/")
  URL authUrl;

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
        harness = GatewayHarness.start(SERVICE, authUrl.getPort());
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
  void everyAuthServiceRowReachesAuthService() throws Exception {
    harness().assertEveryOwnRowReachesTheService();
  }

  @Test
  void otherServicesRowsNeverReachAuthService() throws Exception {
    harness().assertOtherServicesRowsNeverReachTheService();
  }

  @Test
  void everyPathAuthServiceServesHasARoute() throws Exception {
    harness().assertEveryServedPathHasARoute(authUrl.toURI());
  }

  @Test
  void everyAuthServiceRowIsServed() throws Exception {
    harness().assertEveryOwnRowIsServed(authUrl.toURI(), Set.of());
  }

  @Test
  void unknownPathsGetTheGatewaysProblem404() throws Exception {
    harness()
        .assertGateway404(
            List.of(
                "/",
                "/nope",
                "/index.html",
                "/auth/token/extra",
                "/auth/tokens",
                "/user",
                "/user/",
                "/user/clientcheckcredentials/x",
                "/user/logout/x",
                "/partner",
                "/api/users",
                "/api/v1",
                "/fe/analytics",
                "/manage/v1/partners",
                "/manage/v1/partner/x",
                "/manage/v1/k-store",
                "/admin/v1",
                "/admin/v2/partners",
                "/.well-known/jwks.json.bak",
                "/q/health/ready",
                "/q/metrics",
                "/q/openapi"),
            List.of());
  }

  @Test
  void oversizedBodyIs413FromTheGateway() throws Exception {
    harness().assertBodyLimit("/auth/token", 64 * 1024);
  }

  @Test
  void requestIdIsPassedUpstreamAndEchoed() throws Exception {
    HttpResponse<String> res =
        harness().assertRequestIdPassedUpstreamAndEchoed("/.well-known/jwks.json", Map.of());
    assertEquals(200, res.statusCode(), res.body());
  }

  @Test
  void unreachableServiceIs502ProblemJson() throws Exception {
    harness().assertUnreachableServiceIs502("/auth/token");
  }

  @Test
  void floodFromOneClientIs429WithRetryAfter() throws Exception {
    harness().assertFloodFromOneClientIs429("/.well-known/jwks.json");
  }
}
