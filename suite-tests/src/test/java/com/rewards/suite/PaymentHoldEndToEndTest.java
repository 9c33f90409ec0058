package com.rewards.suite;

import static com.rewards.suite.Partner.asUser;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 7 end to end, across payment-service, Kafka and auth-service: an active subscription holds
 * the user (UserHoldPlaced), so auth refuses the user's own deletion with 403 until the partner
 * cancels it (UserHoldLifted); then the deletion goes through.
 */
class PaymentHoldEndToEndTest {

  @Test
  void anActiveSubscriptionBlocksTheUsersDeletionUntilItIsCanceled() {
    Partner p = Fixtures.partner();
    String user = Suite.unique("sub");
    String token = Fixtures.userToken(p, user);
    asUser(token)
        .body("{\"token\":\"tok_visa\"}")
        .post("/api/users/payment/")
        .then()
        .statusCode(oneOf(200, 201));
    String subscription =
        p.server()
            .body("{\"price_id\":\"price_premium\",\"quantity\":1}")
            .post("/manage/v1/payments/users/" + user + "/subscriptions")
            .then()
            .statusCode(201)
            .body("status", equalTo("active"))
            .extract()
            .path("id");

    // The hold travels payment -> payment.payments.v1 -> auth; until it lands, deletion is allowed,
    // so wait for the refusal rather than expect it at once.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                asUser(token)
                    .delete("/api/users/delete")
                    .then()
                    .statusCode(403)
                    .body("code", equalTo("USER_ON_HOLD")));
    // Document 000's deletion route is held the same way.
    asUser(token).post("/user/delete").then().statusCode(403);
    asUser(token).get("/api/users/isLogged").then().statusCode(200);

    p.server()
        .post("/manage/v1/payments/subscriptions/" + subscription + "/cancel")
        .then()
        .statusCode(200)
        .body("status", equalTo("canceled"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> asUser(token).delete("/api/users/delete").then().statusCode(200));
    // Deleted: the token no longer opens anything.
    asUser(token).get("/api/users/isLogged").then().statusCode(401);
  }

  @Test
  void anotherPartnersServerCannotCancelTheSubscription() {
    Partner owner = Fixtures.partner();
    String user = Suite.unique("sub");
    asUser(Fixtures.userToken(owner, user))
        .body("{\"token\":\"tok_visa\"}")
        .post("/api/users/payment/")
        .then()
        .statusCode(oneOf(200, 201));
    String subscription =
        owner
            .server()
            .body("{\"price_id\":\"price_basic\"}")
            .post("/manage/v1/payments/users/" + user + "/subscriptions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    Fixtures.partner()
        .server()
        .post("/manage/v1/payments/subscriptions/" + subscription + "/cancel")
        .then()
        .statusCode(404);
    owner
        .server()
        .get("/manage/v1/payments/users/" + user + "/subscriptions")
        .then()
        .statusCode(200)
        .body("[0].status", equalTo("active"));
  }
}
