package com.rewards.payment;

import static com.rewards.payment.PaymentFixtures.BASE;
import static com.rewards.payment.PaymentFixtures.asServer;
import static com.rewards.payment.PaymentFixtures.asUser;
import static com.rewards.payment.PaymentFixtures.attach;
import static com.rewards.payment.PaymentFixtures.charge;
import static com.rewards.payment.PaymentFixtures.newClientId;
import static com.rewards.payment.PaymentFixtures.newUserId;
import static com.rewards.payment.PaymentFixtures.subscribe;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The partner's server: charges, refunds, subscriptions; honest statuses for Stripe failures. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(FakeStripe.class)
class PartnerPaymentsTest {
  private static final String MANAGE = "/manage/v1/payments";
  private final FakeStripe stripe = FakeStripe.get();

  private static Map<String, Object> chargeBody(long amount) {
    return Map.of("amount", amount, "currency", "EUR", "description", "Gold pack");
  }

  @Test
  void chargeTheDefaultCard() {
    String clientId = newClientId();
    String userId = newUserId();
    String card = attach(clientId, userId, "tok_visa");
    String id =
        asServer(clientId)
            .body(chargeBody(1999))
            .post(MANAGE + "/users/" + userId + "/charges")
            .then()
            .statusCode(201)
            .body("object", equalTo("charge"))
            .body("amount", equalTo(1999))
            .body("currency", equalTo("eur"))
            .body("status", equalTo("succeeded"))
            .body("paid", equalTo(true))
            .body("payment_method", equalTo(card))
            .extract()
            .path("id");
    assertEquals("succeeded", stripe.charge(id).get("status"));
    assertEquals(
        Map.of("client_id", clientId, "user_id", userId), stripe.charge(id).get("metadata"));
    asServer(clientId)
        .get(MANAGE + "/users/" + userId + "/charges")
        .then()
        .statusCode(200)
        .body("$", hasSize(1))
        .body("[0].id", equalTo(id));
  }

  @Test
  void chargeANamedCardOfTheUserButNeverAnotherUsersCard() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String second = attach(clientId, userId, "tok_mastercard");
    String strangers = attach(clientId, newUserId(), "tok_amex");

    asServer(clientId)
        .body(Map.of("amount", 500, "currency", "usd", "card_id", second))
        .post(MANAGE + "/users/" + userId + "/charges")
        .then()
        .statusCode(201)
        .body("payment_method", equalTo(second));
    asServer(clientId)
        .body(Map.of("amount", 500, "currency", "usd", "card_id", strangers))
        .post(MANAGE + "/users/" + userId + "/charges")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
  }

  @Test
  void aDeclineIsRecordedAsAFailedChargeAndAnswered402() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_chargeCustomerFail");
    asServer(clientId)
        .body(chargeBody(700))
        .post(MANAGE + "/users/" + userId + "/charges")
        .then()
        .statusCode(402)
        .contentType("application/problem+json")
        .body("code", equalTo("CARD_DECLINED"));
    asUser(clientId, userId)
        .get(BASE + "/charges")
        .then()
        .statusCode(200)
        .body("data", hasSize(1))
        .body("data[0].status", equalTo("failed"))
        .body("data[0].paid", equalTo(false))
        .body("data[0].failure_code", equalTo("card_declined"))
        .body("data[0].amount", equalTo(700));
  }

  @Test
  void noCardToChargeIs409() {
    String clientId = newClientId();
    asServer(clientId)
        .body(chargeBody(100))
        .post(MANAGE + "/users/" + newUserId() + "/charges")
        .then()
        .statusCode(409)
        .body("code", equalTo("NO_DEFAULT_CARD"));
  }

  @Test
  void invalidChargeRequestsAre400() {
    String clientId = newClientId();
    String userId = newUserId();
    for (Map<String, Object> body :
        new Map[] {
          Map.of("currency", "usd"),
          Map.of("amount", 0, "currency", "usd"),
          Map.of("amount", 100, "currency", "dollars"),
          Map.of("amount", 100)
        }) {
      asServer(clientId)
          .body(body)
          .post(MANAGE + "/users/" + userId + "/charges")
          .then()
          .statusCode(400)
          .body("code", equalTo("BAD_REQUEST"));
    }
    asServer(clientId)
        .body(chargeBody(100))
        .post(MANAGE + "/users/a___b/charges")
        .then()
        .statusCode(400);
  }

  @Test
  void theSameKeyChargesOnceAtStripeAndReplays() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String key = UUID.randomUUID().toString();
    String first =
        asServer(clientId)
            .header("Idempotency-Key", key)
            .body(chargeBody(2500))
            .post(MANAGE + "/users/" + userId + "/charges")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    asServer(clientId)
        .header("Idempotency-Key", key)
        .body(chargeBody(2500))
        .post(MANAGE + "/users/" + userId + "/charges")
        .then()
        .statusCode(201)
        .body("id", equalTo(first));
    asServer(clientId)
        .header("Idempotency-Key", key)
        .body(chargeBody(9900))
        .post(MANAGE + "/users/" + userId + "/charges")
        .then()
        .statusCode(409)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));

    String customer = stripe.customerOf(clientId, userId);
    assertEquals(1, stripe.chargesOf(customer).size());
    var sent =
        stripe.requests("POST", "/v1/charges").stream()
            .filter(r -> customer.equals(r.params().get("customer")))
            .toList();
    assertEquals(1, sent.size(), sent.toString());
    // Passed through, scoped to this partner and user so keys of two callers never meet.
    assertTrue(sent.get(0).idempotencyKey().startsWith("rw-"), sent.get(0).idempotencyKey());
    assertNotEquals(key, sent.get(0).idempotencyKey());
  }

  @Test
  void stripeDownIs503AndNothingIsRecorded() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    try (var down = stripe.fail("POST", "/v1/charges", 500, "api_error", null)) {
      asServer(clientId)
          .body(chargeBody(100))
          .post(MANAGE + "/users/" + userId + "/charges")
          .then()
          .statusCode(503)
          .body("code", equalTo("PAYMENT_PROVIDER_UNAVAILABLE"))
          .header("Retry-After", notNullValue());
    }
    try (var limited =
        stripe.fail("POST", "/v1/charges", 429, "invalid_request_error", "rate_limit")) {
      asServer(clientId)
          .body(chargeBody(100))
          .post(MANAGE + "/users/" + userId + "/charges")
          .then()
          .statusCode(429)
          .body("code", equalTo("PAYMENT_PROVIDER_RATE_LIMITED"))
          .header("Retry-After", notNullValue());
    }
    asServer(clientId).get(MANAGE + "/users/" + userId + "/charges").then().body("$", hasSize(0));
  }

  @Test
  void aTimedOutChargeRetriedWithItsKeyIsChargedOnce() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String customer = stripe.customerOf(clientId, userId);
    String key = UUID.randomUUID().toString();
    try (var slow = stripe.delay("POST", "/v1/charges", Duration.ofSeconds(3))) {
      asServer(clientId)
          .header("Idempotency-Key", key)
          .body(chargeBody(4200))
          .post(MANAGE + "/users/" + userId + "/charges")
          .then()
          .statusCode(503)
          .body("code", equalTo("PAYMENT_PROVIDER_UNAVAILABLE"));
    }
    asServer(clientId).get(MANAGE + "/users/" + userId + "/charges").then().body("$", hasSize(0));
    String id =
        asServer(clientId)
            .header("Idempotency-Key", key)
            .body(chargeBody(4200))
            .post(MANAGE + "/users/" + userId + "/charges")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                stripe.requests("POST", "/v1/charges").stream()
                        .filter(r -> customer.equals(r.params().get("customer")))
                        .count()
                    >= 3);
    assertEquals(1, stripe.chargesOf(customer).size());
    assertEquals(id, stripe.chargesOf(customer).get(0).get("id"));
  }

  @Test
  void refundAllThenNothingIsLeft() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String id = charge(clientId, userId, 3000);
    asServer(clientId)
        .post(MANAGE + "/charges/" + id + "/refunds")
        .then()
        .statusCode(200)
        .body("id", equalTo(id))
        .body("amount_refunded", equalTo(3000))
        .body("refunded", equalTo(true));
    assertEquals(3000, ((Number) stripe.charge(id).get("amount_refunded")).intValue());
    asServer(clientId)
        .post(MANAGE + "/charges/" + id + "/refunds")
        .then()
        .statusCode(409)
        .body("code", equalTo("CHARGE_ALREADY_REFUNDED"));
    asUser(clientId, userId).get(BASE + "/charges").then().body("data[0].refunded", equalTo(true));
  }

  @Test
  void refundInParts() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String id = charge(clientId, userId, 1000);
    asServer(clientId)
        .body(Map.of("amount", 400))
        .post(MANAGE + "/charges/" + id + "/refunds")
        .then()
        .statusCode(200)
        .body("amount_refunded", equalTo(400))
        .body("refunded", equalTo(false));
    asServer(clientId)
        .body(Map.of("amount", 700))
        .post(MANAGE + "/charges/" + id + "/refunds")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
    asServer(clientId)
        .body(Map.of("amount", 600))
        .post(MANAGE + "/charges/" + id + "/refunds")
        .then()
        .statusCode(200)
        .body("amount_refunded", equalTo(1000))
        .body("refunded", equalTo(true));
  }

  @Test
  void refundsOnlyOfTheCallersSucceededCharges() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String id = charge(clientId, userId, 1000);
    asServer(newClientId())
        .post(MANAGE + "/charges/" + id + "/refunds")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
    asServer(clientId).post(MANAGE + "/charges/ch_unknown/refunds").then().statusCode(404);

    String failing = newUserId();
    attach(clientId, failing, "tok_chargeCustomerFail");
    asServer(clientId)
        .body(chargeBody(100))
        .post(MANAGE + "/users/" + failing + "/charges")
        .then()
        .statusCode(402);
    String failed =
        asUser(clientId, failing).get(BASE + "/charges").then().extract().path("data[0].id");
    asServer(clientId)
        .post(MANAGE + "/charges/" + failed + "/refunds")
        .then()
        .statusCode(409)
        .body("code", equalTo("CHARGE_NOT_REFUNDABLE"));
  }

  @Test
  void startAndCancelASubscription() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String id =
        asServer(clientId)
            .body(Map.of("price_id", "price_premium", "quantity", 2))
            .post(MANAGE + "/users/" + userId + "/subscriptions")
            .then()
            .statusCode(201)
            .body("id", startsWith("sub_"))
            .body("status", equalTo("active"))
            .body("price_id", equalTo("price_premium"))
            .body("quantity", equalTo(2))
            .body("current_period_end", notNullValue())
            .extract()
            .path("id");
    assertEquals("error_if_incomplete", lastSubscriptionCreate().get("payment_behavior"));
    asServer(clientId)
        .get(MANAGE + "/users/" + userId + "/subscriptions")
        .then()
        .body("$", hasSize(1))
        .body("[0].id", equalTo(id));

    asServer(clientId)
        .post(MANAGE + "/subscriptions/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("status", equalTo("canceled"))
        .body("canceled_at", notNullValue());
    assertEquals("canceled", stripe.subscription(id).get("status"));
    asServer(clientId)
        .post(MANAGE + "/subscriptions/" + id + "/cancel")
        .then()
        .statusCode(409)
        .body("code", equalTo("SUBSCRIPTION_NOT_ACTIVE"));
  }

  private Map<String, Object> lastSubscriptionCreate() {
    var all = stripe.requests("POST", "/v1/subscriptions");
    return all.get(all.size() - 1).params();
  }

  @Test
  void subscriptionFailures() {
    String clientId = newClientId();
    String noCard = newUserId();
    asServer(clientId)
        .body(Map.of("price_id", "price_basic"))
        .post(MANAGE + "/users/" + noCard + "/subscriptions")
        .then()
        .statusCode(409)
        .body("code", equalTo("NO_DEFAULT_CARD"));

    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    asServer(clientId)
        .body(Map.of("price_id", "price_missing"))
        .post(MANAGE + "/users/" + userId + "/subscriptions")
        .then()
        .statusCode(400)
        .body("code", equalTo("UNKNOWN_PRICE"));
    asServer(clientId)
        .body(Map.of())
        .post(MANAGE + "/users/" + userId + "/subscriptions")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));

    String declined = newUserId();
    attach(clientId, declined, "tok_chargeCustomerFail");
    asServer(clientId)
        .body(Map.of("price_id", "price_basic"))
        .post(MANAGE + "/users/" + declined + "/subscriptions")
        .then()
        .statusCode(402)
        .body("code", equalTo("CARD_DECLINED"));
    asUser(clientId, declined).get(BASE + "/subscriptions").then().body("data", hasSize(0));
  }

  @Test
  void subscriptionsOfAnotherPartnerAre404() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String id = subscribe(clientId, userId, "price_basic");
    asServer(newClientId())
        .post(MANAGE + "/subscriptions/" + id + "/cancel")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
    assertEquals("active", stripe.subscription(id).get("status"));
  }

  @Test
  void partnerRoutesNeedAServerToken() {
    String clientId = newClientId();
    String userId = newUserId();
    given()
        .contentType(ContentType.JSON)
        .body(chargeBody(100))
        .post(MANAGE + "/users/" + userId + "/charges")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .contentType(ContentType.JSON)
        .body(chargeBody(100))
        .post(MANAGE + "/users/" + userId + "/charges")
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .post(MANAGE + "/subscriptions/sub_x/cancel")
        .then()
        .statusCode(403);
  }
}
