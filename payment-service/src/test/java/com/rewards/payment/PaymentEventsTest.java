package com.rewards.payment;

import static com.rewards.payment.PaymentFixtures.BASE;
import static com.rewards.payment.PaymentFixtures.asServer;
import static com.rewards.payment.PaymentFixtures.asUser;
import static com.rewards.payment.PaymentFixtures.attach;
import static com.rewards.payment.PaymentFixtures.charge;
import static com.rewards.payment.PaymentFixtures.newClientId;
import static com.rewards.payment.PaymentFixtures.newUserId;
import static com.rewards.payment.PaymentFixtures.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What payment-service tells the others on {@code payment.payments.v1}: keyed by the namespaced
 * user, in order, each matching its schema, with the fields auth-service (holds) and
 * referral-service (conversions) read.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(FakeStripe.class)
class PaymentEventsTest {

  @Test
  void everyChangeOfAUserIsOneEventInOrder() {
    String clientId = newClientId();
    String userId = newUserId();
    String key = clientId + "___" + userId;
    try (var topic = new TopicReader("payment.payments.v1")) {
      String card = attach(clientId, userId, "tok_visa");
      String chargeId = charge(clientId, userId, 1200);
      asServer(clientId)
          .post("/manage/v1/payments/charges/" + chargeId + "/refunds")
          .then()
          .statusCode(200);
      String subscription = subscribe(clientId, userId, "price_monthly");
      asServer(clientId)
          .post("/manage/v1/payments/subscriptions/" + subscription + "/cancel")
          .then()
          .statusCode(200);
      String second = attach(clientId, userId, "tok_mastercard");
      asUser(clientId, userId).delete(BASE + "/card/" + card).then().statusCode(200);

      var records = topic.await(r -> key.equals(r.key()), 7, Duration.ofSeconds(30));
      records.forEach(r -> EventSchemas.assertValid(r.value()));
      List<JsonNode> events = records.stream().map(TopicReader::json).toList();
      assertEquals(
          List.of(
              "payment.card.attached.v1",
              "payment.charge.succeeded.v1",
              "payment.charge.refunded.v1",
              "payment.subscription.activated.v1",
              "payment.subscription.canceled.v1",
              "payment.card.attached.v1",
              "payment.card.removed.v1"),
          events.stream().map(e -> e.path("type").asText()).toList());
      for (JsonNode e : events) {
        assertEquals(key, e.path("subject").asText());
        assertEquals(clientId, e.path("partnerid").asText());
        assertEquals(clientId, e.path("data").path("client_id").asText());
        assertEquals(userId, e.path("data").path("user_id").asText());
      }
      assertEquals(card, events.get(0).path("data").path("card_id").asText());
      assertEquals("4242", events.get(0).path("data").path("last4").asText());
      assertEquals(chargeId, events.get(1).path("data").path("charge_id").asText());
      assertEquals(1200, events.get(1).path("data").path("amount").asLong());
      assertEquals(1200, events.get(2).path("data").path("amount_refunded").asLong());
      // auth-service places and lifts the hold subscription:<subscription_id> from these two.
      assertEquals(subscription, events.get(3).path("data").path("subscription_id").asText());
      assertEquals("active", events.get(3).path("data").path("status").asText());
      assertEquals(subscription, events.get(4).path("data").path("subscription_id").asText());
      assertEquals(second, events.get(5).path("data").path("card_id").asText());
      assertEquals(card, events.get(6).path("data").path("card_id").asText());
    }
  }

  @Test
  void aDeclinedChargeIsAFailedChargeEvent() {
    String clientId = newClientId();
    String userId = newUserId();
    String key = clientId + "___" + userId;
    try (var topic = new TopicReader("payment.payments.v1")) {
      attach(clientId, userId, "tok_chargeCustomerFail");
      asServer(clientId)
          .body(Map.of("amount", 800, "currency", "usd"))
          .post("/manage/v1/payments/users/" + userId + "/charges")
          .then()
          .statusCode(402);
      var records =
          topic.await(
              PaymentFixtures.event("payment.charge.failed.v1", "user_id", userId),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, records.size());
      assertEquals(key, records.get(0).key());
      EventSchemas.assertValid(records.get(0).value());
      JsonNode data = TopicReader.json(records.get(0)).path("data");
      assertEquals("failed", data.path("status").asText());
      assertEquals("card_declined", data.path("failure_code").asText());
    }
  }
}
