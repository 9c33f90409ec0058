package com.rewards.payment;

import static com.rewards.payment.PaymentFixtures.BASE;
import static com.rewards.payment.PaymentFixtures.attach;
import static com.rewards.payment.PaymentFixtures.charge;
import static com.rewards.payment.PaymentFixtures.newClientId;
import static com.rewards.payment.PaymentFixtures.newUserId;
import static com.rewards.payment.PaymentFixtures.publish;
import static com.rewards.payment.PaymentFixtures.userEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.payment.event.PaymentEvents;
import com.rewards.platform.event.UserErasures;
import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What payment-service does with auth's events, each applied once. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(FakeStripe.class)
class PaymentConsumersTest {
  @Inject AgroalDataSource db;
  private final FakeStripe stripe = FakeStripe.get();

  private long count(String sql, String... params) {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long rowsOf(String clientId, String userId) {
    long n = 0;
    for (String table : new String[] {"customers", "cards", "charges", "subscriptions"}) {
      n +=
          count(
              "select count(*) from " + table + " where client_id = ? and user_id = ?",
              clientId,
              userId);
    }
    return n;
  }

  @Test
  void aDeletedUserLosesEveryRowAndItsStripeCustomerEvenWhenStripeIsDownAtFirst() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    String token = TestTokens.user(clientId, userId);
    attach(clientId, userId, "tok_visa");
    charge(clientId, userId, 500);
    String customer = stripe.customerOf(clientId, userId);
    Thread.sleep(1100); // the deletion happens in a later second than the token's iat

    try (var down = stripe.fail("DELETE", "/v1/customers/" + customer, 500, "api_error", null)) {
      publish(
          "auth.users.v1",
          clientId + "___" + userId,
          userEvent("auth.user.deleted.v1", clientId, userId, Instant.now()));
      await().atMost(Duration.ofSeconds(30)).until(() -> rowsOf(clientId, userId) == 0);
      // Stripe refused (the call and its retry): the deletion waits in the queue, not lost.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  count(
                          "select count(*) from stripe_customer_deletions"
                              + " where stripe_customer_id = ? and attempts >= 1",
                          customer)
                      == 1);
      assertFalse(Boolean.TRUE.equals(stripe.customer(customer).get("deleted")));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Boolean.TRUE.equals(stripe.customer(customer).get("deleted")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(
                        "select count(*) from stripe_customer_deletions where stripe_customer_id = ?",
                        customer)
                    == 0);
    given().auth().oauth2(token).get(BASE + "/charges").then().statusCode(401);
  }

  @Test
  void aRedeliveredDeletionChangesNothingMore() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    attach(clientId, userId, "tok_visa");
    String customer = stripe.customerOf(clientId, userId);
    String event = userEvent("auth.user.deleted.v1", clientId, userId, Instant.now());
    String hash = UserErasures.userHash(clientId, userId);
    try (var reader = new TopicReader(PaymentEvents.ERASURES_TOPIC)) {
      publish("auth.users.v1", clientId + "___" + userId, event);
      publish("auth.users.v1", clientId + "___" + userId, event);
      publish("auth.users.v1", clientId + "___" + userId, "{not json");
      await().atMost(Duration.ofSeconds(30)).until(() -> rowsOf(clientId, userId) == 0);

      // Reported once, with what went, naming the user by hash only.
      var mine = TopicReader.event(PaymentEvents.USER_ERASED, "user_hash", hash);
      reader.await(mine, 1, Duration.ofSeconds(30));
      var reports = reader.drain(mine, Duration.ofSeconds(5));
      assertEquals(1, reports.size());
      assertEquals(hash, reports.get(0).key());
      assertFalse(reports.get(0).value().contains(userId), reports.get(0).value());
      EventSchemas.assertValid(reports.get(0).value());
      var data = TopicReader.json(reports.get(0)).path("data");
      assertEquals(
          new ObjectMapper().readTree(event).path("id").asText(),
          data.path("deletion_id").asText());
      assertEquals(1, data.path("removed").path("cards").asInt());
      assertEquals(1, data.path("removed").path("customers").asInt());
      assertEquals(0, data.path("removed").path("subscriptions").asInt());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Boolean.TRUE.equals(stripe.customer(customer).get("deleted")));

    // The user comes back (same ids): a new Stripe customer, not the deleted one.
    attach(clientId, userId, "tok_visa");
    String again = stripe.customerOf(clientId, userId);
    assertNotEquals(customer, again);
  }

  @Test
  void logoutRevokesOlderTokensButNotNewerOnes() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    String before = TestTokens.user(clientId, userId);
    Thread.sleep(1100);
    publish(
        "auth.users.v1",
        clientId + "___" + userId,
        userEvent("auth.user.logged-out.v1", clientId, userId, Instant.now()));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> given().auth().oauth2(before).get(BASE + "/charges").then().statusCode(401));
    Thread.sleep(1100);
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .get(BASE + "/charges")
        .then()
        .statusCode(200);
  }

  @Test
  void aSecretRotationRevokesThePartnersOlderServerTokens() throws Exception {
    String clientId = newClientId();
    String before = TestTokens.server(clientId);
    Thread.sleep(1100);
    Instant at = Instant.now();
    publish(
        "auth.partners.v1",
        clientId,
        """
        {"specversion":"1.0","id":"%s","source":"/rewards/auth-service",
         "type":"auth.partner.secret-rotated.v1","time":"%s","subject":"%s",
         "datacontenttype":"application/json","partnerid":"%s",
         "data":{"client_id":"%s","occurred_at":"%s","tokens_not_before":"%s"}}
        """
            .formatted(UUID.randomUUID(), at, clientId, clientId, clientId, at, at));
    String path = "/manage/v1/payments/users/" + newUserId() + "/charges";
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> given().auth().oauth2(before).get(path).then().statusCode(401));
    Thread.sleep(1100);
    given().auth().oauth2(TestTokens.server(clientId)).get(path).then().statusCode(200);
  }
}
