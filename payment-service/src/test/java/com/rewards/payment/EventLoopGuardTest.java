package com.rewards.payment;

import static com.rewards.payment.PaymentFixtures.BASE;
import static com.rewards.payment.PaymentFixtures.asServer;
import static com.rewards.payment.PaymentFixtures.asUser;
import static com.rewards.payment.PaymentFixtures.attach;
import static com.rewards.payment.PaymentFixtures.newClientId;
import static com.rewards.payment.PaymentFixtures.newUserId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.payment.stripe.EventLoopGuardedHttpClient;
import com.rewards.platform.testing.TestTokens;
import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.net.LiveStripeResponseGetter;
import com.stripe.net.RequestOptions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No Stripe call runs on an event-loop thread. The guard in stripe-java's HTTP client refuses such
 * a call outright (proved here by making one), so every route test would fail if a code path forgot
 * the worker pool; and a whole flow through the routes is shown to reach Stripe with the guard
 * never tripping.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(FakeStripe.class)
class EventLoopGuardTest {
  @Inject Vertx vertx;
  private final FakeStripe stripe = FakeStripe.get();

  private StripeClient guardedClient() {
    return new StripeClient(new LiveStripeResponseGetter(new EventLoopGuardedHttpClient()));
  }

  private RequestOptions options() {
    return RequestOptions.builder()
        .setApiKey(FakeStripe.SECRET_KEY)
        .setBaseUrl(stripe.baseUrl())
        .build();
  }

  @Test
  void aStripeCallOnAnEventLoopIsRefusedAndOffItGoesThrough() throws Exception {
    StripeClient client = guardedClient();
    long refusedBefore = EventLoopGuardedHttpClient.refused();
    CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
    vertx
        .getOrCreateContext()
        .runOnContext(
            ignored -> {
              try {
                client.customers().retrieve("cus_nobody", options());
                onLoop.complete(null);
              } catch (Throwable t) {
                onLoop.complete(t);
              }
            });
    Throwable refused = onLoop.get(30, TimeUnit.SECONDS);
    assertInstanceOf(IllegalStateException.class, refused);
    assertEquals(refusedBefore + 1, EventLoopGuardedHttpClient.refused());

    // From a thread allowed to block, the same call reaches Stripe (which knows no such customer).
    try {
      client.customers().retrieve("cus_nobody", options());
    } catch (InvalidRequestException e) {
      assertEquals("resource_missing", e.getCode());
    }
  }

  @Test
  void aWholeFlowReachesStripeWithoutTouchingAnEventLoop() {
    long refusedBefore = EventLoopGuardedHttpClient.refused();
    long sentBefore = EventLoopGuardedHttpClient.sent();
    String clientId = newClientId();
    String userId = newUserId();
    String card = attach(clientId, userId, "tok_visa");
    attach(clientId, userId, "tok_mastercard");
    asUser(clientId, userId).post(BASE + "/card/" + card + "/default").then().statusCode(200);
    asUser(clientId, userId)
        .body(Map.of("id", card, "metadata", Map.of("address_zip", "10001")))
        .put(BASE + "/card")
        .then()
        .statusCode(200);
    asUser(clientId, userId)
        .body(Map.of("metadata", Map.of("company_name", "ACME")))
        .put(BASE + "/stripe_metadata")
        .then()
        .statusCode(200);
    String charge =
        asServer(clientId)
            .body(Map.of("amount", 100, "currency", "usd"))
            .post("/manage/v1/payments/users/" + userId + "/charges")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    asServer(clientId)
        .post("/manage/v1/payments/charges/" + charge + "/refunds")
        .then()
        .statusCode(200);
    String sub =
        asServer(clientId)
            .body(Map.of("price_id", "price_x"))
            .post("/manage/v1/payments/users/" + userId + "/subscriptions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    asServer(clientId)
        .post("/manage/v1/payments/subscriptions/" + sub + "/cancel")
        .then()
        .statusCode(200);
    asUser(clientId, userId).delete(BASE + "/card/" + card).then().statusCode(200);

    assertEquals(refusedBefore, EventLoopGuardedHttpClient.refused());
    // customer, 2 attaches, default, card update, metadata, charge, refund, subscribe, cancel,
    // delete card and the customer read after deleting the default.
    assertTrue(EventLoopGuardedHttpClient.sent() - sentBefore >= 12);
  }
}
