package com.rewards.payment;

import static com.rewards.payment.PaymentFixtures.BASE;
import static com.rewards.payment.PaymentFixtures.asUser;
import static com.rewards.payment.PaymentFixtures.attach;
import static com.rewards.payment.PaymentFixtures.charge;
import static com.rewards.payment.PaymentFixtures.newClientId;
import static com.rewards.payment.PaymentFixtures.newUserId;
import static com.rewards.payment.PaymentFixtures.subscribe;
import static com.rewards.payment.PaymentFixtures.webhook;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.payment.stripe.StripeSignature;
import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /webhooks/stripe}: only Stripe's signature within five minutes gets in, an event id
 * is applied once, and what Stripe did on its own (a renewal charge, a dashboard refund, a
 * cancellation for non-payment) reaches the local rows and the topic.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(FakeStripe.class)
class StripeWebhookTest {
  private final FakeStripe stripe = FakeStripe.get();

  private static String newEventId() {
    return "evt_" + UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void aRenewalChargeArrivesOnceEvenWhenTheEventIsReplayed() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    subscribe(clientId, userId, "price_monthly");
    // Stripe charged the first invoice on its own: only the webhook tells us.
    Map<String, Object> invoiceCharge =
        stripe.chargesOf(stripe.customerOf(clientId, userId)).get(0);
    String payload =
        FakeStripe.event(newEventId(), "charge.succeeded", invoiceCharge, Instant.now());
    try (var topic = new TopicReader("payment.payments.v1")) {
      webhook(payload, Instant.now())
          .then()
          .statusCode(200)
          .body("received", equalTo(true))
          .body("duplicate", equalTo(false));
      asUser(clientId, userId)
          .get(BASE + "/charges")
          .then()
          .body("data.id", hasItem(invoiceCharge.get("id")))
          .body("data", hasSize(1));

      // The same signed delivery again (an attacker's replay or Stripe's retry): acknowledged,
      // not applied.
      webhook(payload, Instant.now()).then().statusCode(200).body("duplicate", equalTo(true));

      var filter =
          PaymentFixtures.event(
              "payment.charge.succeeded.v1", "charge_id", (String) invoiceCharge.get("id"));
      topic.await(filter, 1, Duration.ofSeconds(30));
      var events = topic.drain(filter, Duration.ofSeconds(2));
      assertEquals(1, events.size());
      EventSchemas.assertValid(events.get(0).value());
    }
  }

  @Test
  void aBadSignatureIsRefused() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String chargeId = charge(clientId, userId, 900);
    String payload =
        FakeStripe.event(
            newEventId(), "charge.refunded", stripe.refundOutsideTheApi(chargeId), Instant.now());
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);

    // Signed with another secret.
    given()
        .contentType(ContentType.JSON)
        .header("Stripe-Signature", StripeSignature.header(body, "whsec_not_ours", Instant.now()))
        .body(body)
        .post("/webhooks/stripe")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("INVALID_SIGNATURE"));
    // The body changed after signing.
    given()
        .contentType(ContentType.JSON)
        .header(
            "Stripe-Signature",
            StripeSignature.header(body, FakeStripe.WEBHOOK_SECRET, Instant.now()))
        .body(payload.replace("\"amount_refunded\":900", "\"amount_refunded\":1"))
        .post("/webhooks/stripe")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_SIGNATURE"));
    // No signature, or garbage.
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/webhooks/stripe")
        .then()
        .statusCode(400);
    given()
        .contentType(ContentType.JSON)
        .header("Stripe-Signature", "t=abc,v1=zzz")
        .body(body)
        .post("/webhooks/stripe")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_SIGNATURE"));

    asUser(clientId, userId)
        .get(BASE + "/charges")
        .then()
        .body("data[0].amount_refunded", equalTo(0));
  }

  @Test
  void aSignatureOlderOrNewerThanFiveMinutesIsRefused() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String chargeId = charge(clientId, userId, 900);
    String payload =
        FakeStripe.event(
            newEventId(), "charge.refunded", stripe.refundOutsideTheApi(chargeId), Instant.now());

    webhook(payload, Instant.now().minus(Duration.ofMinutes(6)))
        .then()
        .statusCode(400)
        .body("code", equalTo("SIGNATURE_EXPIRED"));
    webhook(payload, Instant.now().plus(Duration.ofMinutes(6)))
        .then()
        .statusCode(400)
        .body("code", equalTo("SIGNATURE_EXPIRED"));
    asUser(clientId, userId)
        .get(BASE + "/charges")
        .then()
        .body("data[0].amount_refunded", equalTo(0));

    // Within the tolerance it is applied.
    webhook(payload, Instant.now().minus(Duration.ofMinutes(4))).then().statusCode(200);
    asUser(clientId, userId)
        .get(BASE + "/charges")
        .then()
        .body("data[0].amount_refunded", equalTo(900))
        .body("data[0].refunded", equalTo(true));
  }

  @Test
  void aDashboardRefundIsAnnounced() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String chargeId = charge(clientId, userId, 1300);
    try (var topic = new TopicReader("payment.payments.v1")) {
      webhook(
              FakeStripe.event(
                  newEventId(),
                  "charge.refunded",
                  stripe.refundOutsideTheApi(chargeId),
                  Instant.now()),
              Instant.now())
          .then()
          .statusCode(200);
      var events =
          topic.await(
              PaymentFixtures.event("payment.charge.refunded.v1", "charge_id", chargeId),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, events.size());
      EventSchemas.assertValid(events.get(0).value());
      assertEquals(
          1300, TopicReader.json(events.get(0)).path("data").path("amount_refunded").asLong());
    }
  }

  @Test
  void aSubscriptionStripeEndsLiftsTheHoldAndAnOlderEventChangesNothing() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String id = subscribe(clientId, userId, "price_monthly");
    Map<String, Object> active = stripe.subscription(id);
    Map<String, Object> ended = new LinkedHashMap<>(active);
    ended.put("status", "canceled");
    ended.put("canceled_at", Instant.now().getEpochSecond());
    Instant later = Instant.now().plusSeconds(60);
    try (var topic = new TopicReader("payment.payments.v1")) {
      webhook(
              FakeStripe.event(newEventId(), "customer.subscription.deleted", ended, later),
              Instant.now())
          .then()
          .statusCode(200);
      asUser(clientId, userId)
          .get(BASE + "/subscriptions")
          .then()
          .body("data[0].status", equalTo("canceled"));
      var events =
          topic.await(
              PaymentFixtures.event("payment.subscription.canceled.v1", "subscription_id", id),
              1,
              Duration.ofSeconds(30));
      EventSchemas.assertValid(events.get(0).value());

      // A late "updated" from before the cancellation must not bring it back.
      webhook(
              FakeStripe.event(
                  newEventId(), "customer.subscription.updated", active, Instant.now()),
              Instant.now())
          .then()
          .statusCode(200)
          .body("duplicate", equalTo(false));
      asUser(clientId, userId)
          .get(BASE + "/subscriptions")
          .then()
          .body("data[0].status", equalTo("canceled"));
    }
  }

  @Test
  void eventsOfUnknownCustomersAndTypesAreAcknowledged() {
    Map<String, Object> stranger = new LinkedHashMap<>();
    stranger.put("id", "ch_stranger");
    stranger.put("object", "charge");
    stranger.put("customer", "cus_not_ours");
    stranger.put("amount", 100);
    stranger.put("currency", "usd");
    stranger.put("status", "succeeded");
    webhook(
            FakeStripe.event(newEventId(), "charge.succeeded", stranger, Instant.now()),
            Instant.now())
        .then()
        .statusCode(200);
    webhook(
            FakeStripe.event(
                newEventId(),
                "invoice.finalized",
                Map.of("id", "in_1", "object", "invoice"),
                Instant.now()),
            Instant.now())
        .then()
        .statusCode(200);
    webhook("{not json", Instant.now()).then().statusCode(400).body("code", equalTo("BAD_REQUEST"));
  }
}
