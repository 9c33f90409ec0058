package com.rewards.payment;

import com.rewards.platform.testing.GatewayHarness;
import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URL;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the real gateway (nginx with gateway/nginx.conf, only its ports rewritten) in front of this
 * test's payment-service and checks that every payment-service row of gateway/routes.tsv reaches
 * it, that nothing else does (auth-service keeps the rest of /api/users/), and the gateway's own
 * answers. The machinery is platform's {@link GatewayHarness}.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(FakeStripe.class)
class GatewayRoutesTest {
  private static final String SERVICE = "payment-service";
  private static GatewayHarness harness;

  @TestHTTPResource("/")
  URL paymentUrl;

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
        harness = GatewayHarness.start(SERVICE, paymentUrl.getPort());
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
  void everyPaymentServiceRowReachesPaymentService() throws Exception {
    harness().assertEveryOwnRowReachesTheService();
  }

  @Test
  void otherServicesRowsNeverReachPaymentService() throws Exception {
    harness().assertOtherServicesRowsNeverReachTheService();
  }

  @Test
  void everyPathPaymentServiceServesHasARoute() throws Exception {
    harness().assertEveryServedPathHasARoute(paymentUrl.toURI());
  }

  @Test
  void everyPaymentServiceRowIsServed() throws Exception {
    harness().assertEveryOwnRowIsServed(paymentUrl.toURI(), Set.of());
  }

  @Test
  void unknownPathsGetTheGatewaysProblem404() throws Exception {
    harness()
        .assertGateway404(
            List.of(
                "/manage/v1/payments",
                "/manage/v1/paymentsx/users/u/charges",
                "/webhooks",
                "/webhooks/stripe/x",
                "/webhooks/paypal",
                "/q/health/ready",
                "/q/openapi"),
            List.of());
  }

  @Test
  void unreachableServiceIs502ProblemJson() throws Exception {
    harness().assertUnreachableServiceIs502("/api/users/payment/charges");
    harness().assertUnreachableServiceIs502("/webhooks/stripe");
  }
}
