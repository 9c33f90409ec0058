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
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every route of document 002's payment section, with each documented failure. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(FakeStripe.class)
class UserPaymentRoutesTest {
  private static final List<String[]> ROUTES =
      List.of(
          new String[] {"POST", BASE + "/"},
          new String[] {"GET", BASE + "/card"},
          new String[] {"PUT", BASE + "/card"},
          new String[] {"GET", BASE + "/card/card_x"},
          new String[] {"DELETE", BASE + "/card/card_x"},
          new String[] {"POST", BASE + "/card/card_x/default"},
          new String[] {"GET", BASE + "/card/stripe_metadata"},
          new String[] {"PUT", BASE + "/stripe_metadata"},
          new String[] {"GET", BASE + "/charges"},
          new String[] {"GET", BASE + "/subcriptions"},
          new String[] {"GET", BASE + "/subscriptions"});

  private final FakeStripe stripe = FakeStripe.get();

  @Test
  void attachThenFetchTheDefaultCard() {
    String clientId = newClientId();
    String userId = newUserId();
    String card = attach(clientId, userId, "tok_visa");
    asUser(clientId, userId)
        .get(BASE + "/card")
        .then()
        .statusCode(200)
        .body("data.id", equalTo(card))
        .body("data.object", equalTo("card"))
        .body("data.brand", equalTo("Visa"))
        .body("data.last4", equalTo("4242"))
        .body("data.exp_month", equalTo(12))
        .body("data.default", equalTo(true));
    String customer = stripe.customerOf(clientId, userId);
    assertEquals(card, stripe.customer(customer).get("default_source"));
  }

  @Test
  void oneStripeCustomerPerUserHoweverManyCards() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String customer = stripe.customerOf(clientId, userId);
    attach(clientId, userId, "tok_mastercard");
    assertEquals(customer, stripe.customerOf(clientId, userId));
    assertEquals(
        1,
        stripe.requests("POST", "/v1/customers").stream()
            .filter(r -> r.path().equals("/v1/customers"))
            .filter(r -> userId.equals(((Map<?, ?>) r.params().get("metadata")).get("user_id")))
            .count());
  }

  @Test
  void attachWithoutATokenIs400() {
    String clientId = newClientId();
    String userId = newUserId();
    asUser(clientId, userId)
        .body(Map.of())
        .post(BASE + "/")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("BAD_REQUEST"));
    asUser(clientId, userId)
        .body(Map.of("token", " "))
        .post(BASE + "/")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
    asUser(clientId, userId).post(BASE + "/").then().statusCode(400);
  }

  @Test
  void anUnknownTokenIs400WithoutStripesMessage() {
    String clientId = newClientId();
    String userId = newUserId();
    Response response = asUser(clientId, userId).body(Map.of("token", "tok_nope")).post(BASE + "/");
    response.then().statusCode(400).body("code", equalTo("INVALID_CARD_TOKEN"));
    assertFalse(response.asString().contains("tok_nope"), response.asString());
    assertFalse(response.asString().contains("No such token"), response.asString());
  }

  @Test
  void aDeclinedCardIsTheDocumentsStatusWithCardDeclinedAndNothingStored() {
    String clientId = newClientId();
    String userId = newUserId();
    Response response =
        asUser(clientId, userId).body(Map.of("token", "tok_chargeDeclined")).post(BASE + "/");
    response
        .then()
        .statusCode(500)
        .contentType("application/problem+json")
        .body("code", equalTo("CARD_DECLINED"))
        .header("Deprecation", startsWith("@"));
    assertFalse(response.asString().contains("Your card was declined"), response.asString());
    asUser(clientId, userId).get(BASE + "/card").then().statusCode(404);
  }

  @Test
  void theDefaultCardIs404WhenTheUserHasNone() {
    asUser(newClientId(), newUserId())
        .get(BASE + "/card")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
  }

  @Test
  void aCardOfAnotherUserIs404ForEveryCardRoute() {
    String clientId = newClientId();
    String owner = newUserId();
    String card = attach(clientId, owner, "tok_visa");
    String sameParnerOtherUser = newUserId();
    attach(clientId, sameParnerOtherUser, "tok_mastercard");
    for (var caller :
        List.of(asUser(clientId, sameParnerOtherUser), asUser(newClientId(), owner))) {
      caller
          .get(BASE + "/card/" + card)
          .then()
          .statusCode(404)
          .body("code", equalTo("RECORD_NOT_FOUND"));
    }
    asUser(clientId, sameParnerOtherUser).delete(BASE + "/card/" + card).then().statusCode(404);
    asUser(clientId, sameParnerOtherUser)
        .post(BASE + "/card/" + card + "/default")
        .then()
        .statusCode(404);
    asUser(clientId, sameParnerOtherUser)
        .body(Map.of("id", card, "metadata", Map.of("address_city", "Paris")))
        .put(BASE + "/card")
        .then()
        .statusCode(404);
    // The owner still has it, untouched.
    asUser(clientId, owner)
        .get(BASE + "/card/" + card)
        .then()
        .statusCode(200)
        .body("data.id", equalTo(card))
        .body("data.address_city", nullValue());
  }

  @Test
  void aMalformedCardIdIs400() {
    asUser(newClientId(), newUserId())
        .get(BASE + "/card/not-a-stripe-id!")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
  }

  @Test
  void setAnotherCardAsTheDefault() {
    String clientId = newClientId();
    String userId = newUserId();
    String first = attach(clientId, userId, "tok_visa");
    String second = attach(clientId, userId, "tok_mastercard");
    asUser(clientId, userId)
        .get(BASE + "/card/" + second)
        .then()
        .body("data.default", equalTo(false));

    asUser(clientId, userId)
        .post(BASE + "/card/" + second + "/default")
        .then()
        .statusCode(200)
        .body("data.id", equalTo(second))
        .body("data.default", equalTo(true));

    asUser(clientId, userId).get(BASE + "/card").then().body("data.id", equalTo(second));
    asUser(clientId, userId)
        .get(BASE + "/card/" + first)
        .then()
        .body("data.default", equalTo(false));
    assertEquals(
        second, stripe.customer(stripe.customerOf(clientId, userId)).get("default_source"));
  }

  @Test
  void updateTheCardsAddressFields() {
    String clientId = newClientId();
    String userId = newUserId();
    String card = attach(clientId, userId, "tok_visa");
    Map<String, Object> address =
        Map.of(
            "address_line1", "1 rue de Rivoli",
            "address_city", "Paris",
            "address_zip", "75001",
            "address_country", "FR");
    asUser(clientId, userId)
        .body(Map.of("id", card, "metadata", address))
        .put(BASE + "/card")
        .then()
        .statusCode(200)
        .body("data.id", equalTo(card))
        .body("data.address_line1", equalTo("1 rue de Rivoli"))
        .body("data.address_city", equalTo("Paris"))
        .body("data.address_zip", equalTo("75001"))
        .body("data.address_country", equalTo("FR"));
    asUser(clientId, userId)
        .get(BASE + "/card/" + card)
        .then()
        .body("data.address_city", equalTo("Paris"));
  }

  @Test
  void updatingACardWithoutItsIdIs400() {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    asUser(clientId, userId)
        .body(Map.of("metadata", Map.of("address_city", "Paris")))
        .put(BASE + "/card")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
  }

  @Test
  void deleteACardAndStripesNextDefaultTakesOver() {
    String clientId = newClientId();
    String userId = newUserId();
    String first = attach(clientId, userId, "tok_visa");
    String second = attach(clientId, userId, "tok_mastercard");

    asUser(clientId, userId)
        .delete(BASE + "/card/" + first)
        .then()
        .statusCode(200)
        .body("id", equalTo(first))
        .body("object", equalTo("card"))
        .body("deleted", equalTo(true));

    asUser(clientId, userId).get(BASE + "/card/" + first).then().statusCode(404);
    asUser(clientId, userId)
        .get(BASE + "/card")
        .then()
        .statusCode(200)
        .body("data.id", equalTo(second));
  }

  @Test
  void deletingWithoutACardIdIs400() {
    asUser(newClientId(), newUserId())
        .delete(BASE + "/card")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
  }

  @Test
  void theLastCardCannotGoWhileASubscriptionIsActive() {
    String clientId = newClientId();
    String userId = newUserId();
    String card = attach(clientId, userId, "tok_visa");
    String subscription = subscribe(clientId, userId, "price_monthly");

    asUser(clientId, userId)
        .delete(BASE + "/card/" + card)
        .then()
        .statusCode(403)
        .body("code", equalTo("CARD_REQUIRED_BY_SUBSCRIPTION"));
    asUser(clientId, userId)
        .get(BASE + "/card")
        .then()
        .statusCode(200)
        .body("data.id", equalTo(card));

    // With a second card the first may go; the last one may not.
    String second = attach(clientId, userId, "tok_mastercard");
    asUser(clientId, userId).delete(BASE + "/card/" + card).then().statusCode(200);
    asUser(clientId, userId).delete(BASE + "/card/" + second).then().statusCode(403);

    asServer(clientId)
        .post("/manage/v1/payments/subscriptions/" + subscription + "/cancel")
        .then()
        .statusCode(200);
    asUser(clientId, userId).delete(BASE + "/card/" + second).then().statusCode(200);
  }

  @Test
  void stripeMetadataIsReadAndWritten() {
    String clientId = newClientId();
    String userId = newUserId();
    asUser(clientId, userId)
        .get(BASE + "/card/stripe_metadata")
        .then()
        .statusCode(200)
        .body("$", anEmptyMap());

    asUser(clientId, userId)
        .body(Map.of("metadata", Map.of("vat_number", "FR123456789", "company_name", "ACME")))
        .put(BASE + "/stripe_metadata")
        .then()
        .statusCode(200)
        .body("data.vat_number", equalTo("FR123456789"))
        .body("data.company_name", equalTo("ACME"));

    asUser(clientId, userId)
        .get(BASE + "/card/stripe_metadata")
        .then()
        .statusCode(200)
        .body("vat_number", equalTo("FR123456789"))
        .body("company_name", equalTo("ACME"));
    Map<?, ?> remote =
        (Map<?, ?>) stripe.customer(stripe.customerOf(clientId, userId)).get("metadata");
    assertEquals("FR123456789", remote.get("vat_number"));

    // An empty string clears one field and leaves the other.
    asUser(clientId, userId)
        .body(Map.of("metadata", Map.of("vat_number", "")))
        .put(BASE + "/stripe_metadata")
        .then()
        .statusCode(200)
        .body("data.vat_number", nullValue())
        .body("data.company_name", equalTo("ACME"));
  }

  @Test
  void updatingMetadataWithoutFieldsIs400() {
    String clientId = newClientId();
    String userId = newUserId();
    asUser(clientId, userId).body(Map.of()).put(BASE + "/stripe_metadata").then().statusCode(400);
    asUser(clientId, userId)
        .body(Map.of("metadata", Map.of()))
        .put(BASE + "/stripe_metadata")
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"));
  }

  @Test
  void chargesAndSubscriptionsAreListedUnderBothSpellings() {
    String clientId = newClientId();
    String userId = newUserId();
    asUser(clientId, userId).get(BASE + "/charges").then().statusCode(200).body("data", hasSize(0));
    asUser(clientId, userId)
        .get(BASE + "/subcriptions")
        .then()
        .statusCode(200)
        .body("data", hasSize(0));

    attach(clientId, userId, "tok_visa");
    String chargeId = charge(clientId, userId, 1500);
    String subscription = subscribe(clientId, userId, "price_gold");

    asUser(clientId, userId)
        .get(BASE + "/charges")
        .then()
        .statusCode(200)
        .body("data", hasSize(1))
        .body("data[0].id", equalTo(chargeId))
        .body("data[0].object", equalTo("charge"))
        .body("data[0].amount", equalTo(1500))
        .body("data[0].status", equalTo("succeeded"));
    for (String spelling : List.of("/subcriptions", "/subscriptions")) {
      asUser(clientId, userId)
          .get(BASE + spelling)
          .then()
          .statusCode(200)
          .body("data", hasSize(1))
          .body("data[0].id", equalTo(subscription))
          .body("data[0].object", equalTo("subscription"))
          .body("data[0].status", equalTo("active"))
          .body("data[0].price_id", equalTo("price_gold"));
    }
  }

  @Test
  void everyRouteNeedsAUserToken() {
    String server = TestTokens.server(newClientId());
    for (String[] route : ROUTES) {
      given()
          .contentType(ContentType.JSON)
          .body("{}")
          .request(route[0], route[1])
          .then()
          .statusCode(401)
          .body("code", equalTo("UNAUTHORIZED"));
      given()
          .auth()
          .oauth2(server)
          .contentType(ContentType.JSON)
          .body("{}")
          .request(route[0], route[1])
          .then()
          .statusCode(403)
          .body("code", equalTo("FORBIDDEN"));
    }
  }

  @Test
  void everyAnswerSaysTheRoutesAreDeprecated() {
    String clientId = newClientId();
    String userId = newUserId();
    asUser(clientId, userId)
        .get(BASE + "/charges")
        .then()
        .statusCode(200)
        .header("Deprecation", startsWith("@"));
    asUser(clientId, userId)
        .get(BASE + "/card")
        .then()
        .statusCode(404)
        .header("Deprecation", startsWith("@"));
    given().get(BASE + "/charges").then().statusCode(401);
    // Partner routes are not deprecated.
    asServer(clientId)
        .get("/manage/v1/payments/users/" + userId + "/charges")
        .then()
        .statusCode(200)
        .header("Deprecation", nullValue());
  }

  @Test
  void theOpenApiMarksEveryDocumentRouteDeprecated() throws Exception {
    String openapi =
        given()
            .accept("application/json")
            .get("/q/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    JsonNode paths = new ObjectMapper().readTree(openapi).path("paths");
    int operations = 0;
    for (var path : (Iterable<Map.Entry<String, JsonNode>>) paths::fields) {
      if (!path.getKey().startsWith(BASE)) {
        assertFalse(
            path.getValue().toString().contains("\"deprecated\":true"),
            path.getKey() + " is deprecated");
        continue;
      }
      for (var op : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
        if (op.getValue().has("responses")) {
          operations++;
          assertTrue(
              op.getValue().path("deprecated").asBoolean(), op.getKey() + " " + path.getKey());
        }
      }
    }
    assertTrue(operations >= ROUTES.size(), "found " + operations + " operations");
  }

  @Test
  void stripeDownIsProviderUnavailableAndNothingIsWritten() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    try (var down = stripe.fail("POST", "/v1/customers/", 500, "api_error", null)) {
      Response response =
          asUser(clientId, userId).body(Map.of("token", "tok_visa")).post(BASE + "/");
      response
          .then()
          .statusCode(500)
          .body("code", equalTo("PAYMENT_PROVIDER_UNAVAILABLE"))
          .header("Retry-After", notNullValue());
      assertFalse(response.asString().contains("Injected"), response.asString());
    }
    asUser(clientId, userId).get(BASE + "/card").then().statusCode(404);
    asUser(clientId, userId).get(BASE + "/charges").then().body("data", hasSize(0));
  }

  @Test
  void stripeRateLimitingHasItsOwnCode() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    try (var limited =
        stripe.fail("POST", "/v1/customers/", 429, "invalid_request_error", "rate_limit")) {
      asUser(clientId, userId)
          .body(Map.of("token", "tok_visa"))
          .post(BASE + "/")
          .then()
          .statusCode(500)
          .body("code", equalTo("PAYMENT_PROVIDER_RATE_LIMITED"))
          .header("Retry-After", notNullValue());
    }
    asUser(clientId, userId).get(BASE + "/card").then().statusCode(404);
  }

  @Test
  void aStripeTimeoutLeavesNothingHereAndTheSameKeyThenGetsTheSameCard() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    String key = UUID.randomUUID().toString();
    // The customer exists first, so only the attach call is slow.
    asUser(clientId, userId)
        .body(Map.of("metadata", Map.of("company_name", "ACME")))
        .put(BASE + "/stripe_metadata")
        .then()
        .statusCode(200);
    String customer = stripe.customerOf(clientId, userId);
    String sources = "/v1/customers/" + customer + "/sources";
    // Longer than the client's read timeout (2 s in tests): Stripe still does the work later.
    try (var slow = stripe.delay("POST", sources, Duration.ofSeconds(3))) {
      asUser(clientId, userId)
          .header("Idempotency-Key", key)
          .body(Map.of("token", "tok_visa"))
          .post(BASE + "/")
          .then()
          .statusCode(500)
          .body("code", equalTo("PAYMENT_PROVIDER_UNAVAILABLE"));
    }
    asUser(clientId, userId).get(BASE + "/card").then().statusCode(404);

    String card =
        asUser(clientId, userId)
            .header("Idempotency-Key", key)
            .body(Map.of("token", "tok_visa"))
            .post(BASE + "/")
            .then()
            .statusCode(200)
            .extract()
            .path("data.id");
    asUser(clientId, userId).get(BASE + "/card").then().body("data.id", equalTo(card));
    // Two slow tries (the call and stripe-java's one retry) and this one, which Stripe still
    // answers for the slow ones when they finish: all under one key, so one card.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stripe.requests("POST", sources).size() >= 3);
    var attempts = stripe.requests("POST", sources);
    assertEquals(1, attempts.stream().map(FakeStripe.Request::idempotencyKey).distinct().count());
    assertEquals(1, stripe.cardCount(customer));
  }

  @Test
  void theSameIdempotencyKeyAttachesOnceAndReplays() {
    String clientId = newClientId();
    String userId = newUserId();
    String key = UUID.randomUUID().toString();
    String first =
        asUser(clientId, userId)
            .header("Idempotency-Key", key)
            .body(Map.of("token", "tok_visa"))
            .post(BASE + "/")
            .then()
            .statusCode(200)
            .extract()
            .path("data.id");
    asUser(clientId, userId)
        .header("Idempotency-Key", key)
        .body(Map.of("token", "tok_visa"))
        .post(BASE + "/")
        .then()
        .statusCode(200)
        .body("data.id", equalTo(first));
    asUser(clientId, userId)
        .header("Idempotency-Key", key)
        .body(Map.of("token", "tok_mastercard"))
        .post(BASE + "/")
        .then()
        .statusCode(409)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    String customer = stripe.customerOf(clientId, userId);
    var attaches = stripe.requests("POST", "/v1/customers/" + customer + "/sources");
    assertEquals(1, attaches.size(), attaches.toString());
    assertThat(attaches.get(0).idempotencyKey(), not(equalTo(key)));
  }
}
