package com.rewards.suite;

import static com.rewards.suite.Partner.asUser;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
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

    // The hold travels payment -> payment.payments.v1 -> auth; until it lands, deletion is allowed
    // (and would delete the user), so wait for auth's hold row, not by trying to delete.
    awaitHolds(p, user, 1);
    asUser(token)
        .delete("/api/users/delete")
        .then()
        .statusCode(403)
        .body("code", equalTo("USER_ON_HOLD"));
    // Document 000's deletion route is held the same way.
    asUser(token).post("/user/delete").then().statusCode(403);
    asUser(token).get("/api/users/isLogged").then().statusCode(200);

    p.server()
        .post("/manage/v1/payments/subscriptions/" + subscription + "/cancel")
        .then()
        .statusCode(200)
        .body("status", equalTo("canceled"));
    awaitHolds(p, user, 0);
    asUser(token).delete("/api/users/delete").then().statusCode(200);
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

  /** Waits until auth-service holds the user {@code count} times (its user_holds rows). */
  private static void awaitHolds(Partner p, String user, int count) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              try (Connection db = Suite.database("auth");
                  var q =
                      db.prepareStatement(
                          "select count(*) from user_holds where client_id = ? and user_id = ?")) {
                q.setString(1, p.clientId());
                q.setString(2, user);
                try (var rs = q.executeQuery()) {
                  rs.next();
                  assertEquals(count, rs.getInt(1), "auth's holds of " + user);
                }
              }
            });
  }
}
