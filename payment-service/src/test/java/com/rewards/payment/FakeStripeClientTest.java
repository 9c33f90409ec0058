package com.rewards.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.model.Card;
import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.PaymentSource;
import com.stripe.model.StripeCollection;
import com.stripe.model.Subscription;
import com.stripe.net.RequestOptions;
import com.stripe.param.ChargeCreateParams;
import com.stripe.param.ChargeListParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerPaymentSourceCreateParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fake speaks Stripe's wire format closely enough for the official client: every object, list
 * and error below is parsed by stripe-java itself, not by our code. No Quarkus here.
 */
class FakeStripeClientTest {
  private static final FakeStripe FAKE = new FakeStripe();
  private static StripeClient client;

  @BeforeAll
  static void start() {
    FAKE.startServer();
    client =
        new StripeClient.StripeClientBuilder()
            .setApiKey(FakeStripe.SECRET_KEY)
            .setApiBase(FAKE.baseUrl())
            .build();
  }

  @AfterAll
  static void stop() {
    FAKE.stopServer();
  }

  private static RequestOptions key(String key) {
    return RequestOptions.builder().setIdempotencyKey(key).build();
  }

  private static Customer customer() throws Exception {
    return client
        .customers()
        .create(CustomerCreateParams.builder().putMetadata("user_id", "u1").build());
  }

  private static Card attach(Customer customer, String token) throws Exception {
    PaymentSource source =
        client
            .customers()
            .paymentSources()
            .create(
                customer.getId(),
                CustomerPaymentSourceCreateParams.builder().setSource(token).build());
    return assertInstanceOf(Card.class, source);
  }

  @Test
  void customersCardsAndTheirList() throws Exception {
    Customer customer = customer();
    assertTrue(customer.getId().startsWith("cus_"));
    assertEquals("u1", customer.getMetadata().get("user_id"));
    Card visa = attach(customer, "tok_visa");
    Card mastercard = attach(customer, "tok_mastercard");
    assertEquals("4242", visa.getLast4());
    assertEquals(12L, visa.getExpMonth());
    assertEquals(visa.getId(), client.customers().retrieve(customer.getId()).getDefaultSource());

    StripeCollection<PaymentSource> list =
        client.customers().paymentSources().list(customer.getId());
    assertFalse(list.getHasMore());
    assertEquals(2, list.getData().size());

    client
        .customers()
        .update(
            customer.getId(),
            CustomerUpdateParams.builder()
                .setDefaultSource(mastercard.getId())
                .putMetadata("vat_number", "FR1")
                .build());
    Customer updated = client.customers().retrieve(customer.getId());
    assertEquals(mastercard.getId(), updated.getDefaultSource());
    assertEquals("FR1", updated.getMetadata().get("vat_number"));

    PaymentSource deleted =
        client.customers().paymentSources().delete(customer.getId(), mastercard.getId());
    assertTrue(((Card) deleted).getDeleted());
    assertEquals(visa.getId(), client.customers().retrieve(customer.getId()).getDefaultSource());

    assertTrue(client.customers().delete(customer.getId()).getDeleted());
    assertTrue(client.customers().retrieve(customer.getId()).getDeleted());
  }

  @Test
  void chargesRefundsAndIdempotentReplays() throws Exception {
    Customer customer = customer();
    attach(customer, "tok_visa");
    ChargeCreateParams params =
        ChargeCreateParams.builder()
            .setCustomer(customer.getId())
            .setAmount(2000L)
            .setCurrency("usd")
            .build();
    Charge first = client.charges().create(params, key("k1"));
    Charge replay = client.charges().create(params, key("k1"));
    assertEquals(first.getId(), replay.getId());
    assertEquals("succeeded", first.getStatus());
    assertEquals(1, FAKE.chargesOf(customer.getId()).size());
    assertEquals(
        "true", replay.getLastResponse().headers().firstValue("Idempotent-Replayed").orElse(null));

    ChargeCreateParams other =
        ChargeCreateParams.builder()
            .setCustomer(customer.getId())
            .setAmount(1L)
            .setCurrency("usd")
            .build();
    assertThrows(IdempotencyException.class, () -> client.charges().create(other, key("k1")));

    var refund =
        client
            .refunds()
            .create(RefundCreateParams.builder().setCharge(first.getId()).setAmount(500L).build());
    assertEquals(500L, refund.getAmount());
    Charge after = client.charges().retrieve(first.getId());
    assertEquals(500L, after.getAmountRefunded());
    assertFalse(after.getRefunded());

    StripeCollection<Charge> listed =
        client.charges().list(ChargeListParams.builder().setCustomer(customer.getId()).build());
    assertEquals(1, listed.getData().size());
    assertInstanceOf(Card.class, listed.getData().get(0).getSource());
  }

  @Test
  void stripesErrorsBecomeStripeJavasExceptions() throws Exception {
    Customer customer = customer();
    CardException declined =
        assertThrows(CardException.class, () -> attach(customer, "tok_chargeDeclined"));
    assertEquals("card_declined", declined.getCode());
    assertEquals("generic_decline", declined.getDeclineCode());
    assertEquals(402, declined.getStatusCode());

    InvalidRequestException badToken =
        assertThrows(InvalidRequestException.class, () -> attach(customer, "tok_nope"));
    assertEquals("source", badToken.getParam());
    assertEquals("resource_missing", badToken.getCode());

    attach(customer, "tok_chargeCustomerFail");
    CardException chargeDeclined =
        assertThrows(
            CardException.class,
            () ->
                client
                    .charges()
                    .create(
                        ChargeCreateParams.builder()
                            .setCustomer(customer.getId())
                            .setAmount(100L)
                            .setCurrency("usd")
                            .build()));
    assertTrue(chargeDeclined.getCharge().startsWith("ch_"));
    assertEquals("failed", FAKE.charge(chargeDeclined.getCharge()).get("status"));

    try (var limited =
        FAKE.fail("GET", "/v1/customers/", 429, "invalid_request_error", "rate_limit")) {
      assertThrows(RateLimitException.class, () -> client.customers().retrieve(customer.getId()));
    }
    try (var down = FAKE.fail("GET", "/v1/customers/", 500, "api_error", null)) {
      ApiException e =
          assertThrows(ApiException.class, () -> client.customers().retrieve(customer.getId()));
      assertEquals(500, e.getStatusCode());
    }
    StripeClient wrongKey =
        new StripeClient.StripeClientBuilder()
            .setApiKey("sk_test_wrong")
            .setApiBase(FAKE.baseUrl())
            .build();
    assertThrows(
        AuthenticationException.class, () -> wrongKey.customers().retrieve(customer.getId()));
  }

  @Test
  void subscriptionsStartAndCancel() throws Exception {
    Customer customer = customer();
    attach(customer, "tok_visa");
    Subscription s =
        client
            .subscriptions()
            .create(
                SubscriptionCreateParams.builder()
                    .setCustomer(customer.getId())
                    .addItem(
                        SubscriptionCreateParams.Item.builder()
                            .setPrice("price_a")
                            .setQuantity(3L)
                            .build())
                    .build());
    assertEquals("active", s.getStatus());
    assertEquals("price_a", s.getItems().getData().get(0).getPrice().getId());
    assertEquals(3L, s.getItems().getData().get(0).getQuantity());
    assertNull(s.getCanceledAt());
    Subscription canceled = client.subscriptions().cancel(s.getId());
    assertEquals("canceled", canceled.getStatus());

    InvalidRequestException unknown =
        assertThrows(
            InvalidRequestException.class,
            () ->
                client
                    .subscriptions()
                    .create(
                        SubscriptionCreateParams.builder()
                            .setCustomer(customer.getId())
                            .addItem(
                                SubscriptionCreateParams.Item.builder()
                                    .setPrice("price_missing")
                                    .build())
                            .build()));
    assertEquals("items[0][price]", unknown.getParam());
  }
}
