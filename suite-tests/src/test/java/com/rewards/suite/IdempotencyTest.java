package com.rewards.suite;

import static com.rewards.suite.Fixtures.open;
import static com.rewards.suite.Fixtures.server;
import static com.rewards.suite.Fixtures.withKey;
import static com.rewards.suite.Net.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 2: every write a client may retry takes an {@code Idempotency-Key}. The same key
 * and request again answers the same (status and body) and changes nothing more; the same key with
 * another request is a 409. Each write's effect is then checked once: a balance moved once, one
 * charge, one event.
 */
class IdempotencyTest {
  @RegisterExtension final Figures figures = new Figures();
  private final List<String> failures = new ArrayList<>();

  /** One write: who sends it, where, and a second request that differs. */
  record Write(
      String name,
      Supplier<RequestSpecification> who,
      String method,
      String path,
      String body,
      String otherPath,
      String otherBody,
      String conflictCode) {}

  /** Sends the write, its replay and the conflicting request; answers the first response. */
  private JsonNode check(Write w) throws Exception {
    String key = "idem-" + UUID.randomUUID();
    Response first = send(w, key, w.path(), w.body());
    Response replay = send(w, key, w.path(), w.body());
    Response other = send(w, key, w.otherPath(), w.otherBody());
    boolean firstOk = first.statusCode() >= 200 && first.statusCode() < 300;
    if (!firstOk) {
      failures.add(w.name() + ": first request " + first.statusCode() + " " + first.asString());
      figures.refused(w.name() + " first " + first.statusCode());
      return null;
    }
    figures.succeeded();
    JsonNode a = Jwt.JSON.readTree(first.asString());
    JsonNode b = Jwt.JSON.readTree(replay.asString());
    if (replay.statusCode() != first.statusCode() || !a.equals(b)) {
      failures.add(
          w.name() + ": replay answered " + replay.statusCode() + " " + b + ", first " + a);
      figures.lost(1);
    } else {
      figures.succeeded();
    }
    String code =
        other.statusCode() == 409
            ? Jwt.JSON.readTree(other.asString()).path("code").asText()
            : null;
    if (other.statusCode() != 409 || !w.conflictCode().equals(code)) {
      failures.add(
          w.name()
              + ": same key, other request answered "
              + other.statusCode()
              + " "
              + other.asString());
      figures.lost(1);
    } else {
      figures.refused("409 " + code);
    }
    return a;
  }

  private static Response send(Write w, String key, String path, String body) {
    RequestSpecification request = w.who().get().header("Idempotency-Key", key);
    if (body != null) {
      request = request.body(body);
    }
    return request.request(w.method(), path);
  }

  private void effect(boolean holds, String what) {
    if (!holds) {
      failures.add("effect: " + what);
      figures.lost(1);
    }
  }

  private static final String REUSED = "IDEMPOTENCY_KEY_REUSED";

  @Test
  void loyaltyWritesAnswerTheSameOnceAndRefuseAnotherBody() throws Exception {
    figures.item("2", "loyalty: earn, buffer earn, burn, adjustment, refund");
    Partner p = Fixtures.partner();
    Fixtures.program(p);
    Fixtures.action(p, "ten", 10);
    Fixtures.action(p, "twenty", 20);
    String gift = Fixtures.gift(p, 5, null);
    String otherGift = Fixtures.gift(p, 6, null);
    String user = Suite.unique("idem");
    String token = Fixtures.userToken(p, user);

    check(
        new Write(
            "generosity/store",
            () -> bearer(token),
            "POST",
            "/generosity/store",
            "{\"action_code\":\"ten\"}",
            "/generosity/store",
            "{\"action_code\":\"twenty\"}",
            REUSED));
    effect(Fixtures.balance(p, user) == 10, "one earn of 10, balance " + Fixtures.balance(p, user));

    check(
        new Write(
            "buffer/store",
            () -> server(p),
            "POST",
            "/buffer/store",
            "{\"user_id\":\"" + user + "\",\"action_code\":\"ten\",\"transaction_id\":\"t1\"}",
            "/buffer/store",
            "{\"user_id\":\"" + user + "\",\"action_code\":\"ten\",\"transaction_id\":\"t2\"}",
            REUSED));
    effect(
        Fixtures.balance(p, user) == 20, "one buffer earn, balance " + Fixtures.balance(p, user));

    check(
        new Write(
            "manage adjustment",
            () -> server(p),
            "POST",
            "/manage/v1/users/" + user + "/adjustments",
            "{\"points\":100,\"reason\":\"goodwill\"}",
            "/manage/v1/users/" + user + "/adjustments",
            "{\"points\":101,\"reason\":\"goodwill\"}",
            REUSED));
    effect(
        Fixtures.balance(p, user) == 120, "one adjustment, balance " + Fixtures.balance(p, user));

    JsonNode bought =
        check(
            new Write(
                "gift/checkavailability (burn)",
                () -> bearer(token),
                "POST",
                "/gift/checkavailability",
                "{\"gift_id\":\"" + gift + "\"}",
                "/gift/checkavailability",
                "{\"gift_id\":\"" + otherGift + "\"}",
                REUSED));
    effect(Fixtures.balance(p, user) == 115, "one burn, balance " + Fixtures.balance(p, user));

    String redemption = bought.path("data").path("redemption_id").asText();
    String otherRedemption =
        bearer(token)
            .body("{\"gift_id\":\"" + otherGift + "\"}")
            .post("/gift/checkavailability")
            .then()
            .statusCode(200)
            .extract()
            .path("data.redemption_id");
    check(
        new Write(
            "redemption refund",
            () -> server(p),
            "POST",
            "/manage/v1/redemptions/" + redemption + "/refund",
            null,
            "/manage/v1/redemptions/" + otherRedemption + "/refund",
            null,
            REUSED));
    effect(Fixtures.balance(p, user) == 114, "one refund, balance " + Fixtures.balance(p, user));
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void referralWritesAnswerTheSameOnceAndRefuseAnotherBody() throws Exception {
    figures.item("2", "referral: create participant, apply code, convert");
    Partner p = Fixtures.partner();
    String key = Fixtures.referralProgramAndKey(p);
    String account = "acc-" + UUID.randomUUID().toString().substring(0, 8);
    String created = Suite.unique("ann");
    check(
        new Write(
            "open create user",
            () -> withKey(key),
            "POST",
            open(p, "account/" + account + "/user/" + created),
            "{\"firstName\":\"Ann\"}",
            open(p, "account/" + account + "/user/" + created),
            "{\"firstName\":\"Bob\"}",
            REUSED));
    String name =
        withKey(key).get(open(p, "account/" + account + "/user/" + created)).path("firstName");
    effect("Ann".equals(name), "the participant keeps the first body's name, got " + name);

    // The referrer and each friend in accounts of their own: one account referring itself is a
    // SELF_REFERRAL.
    String referrer = Suite.unique("rita");
    String code = Fixtures.participant(p, key, account, referrer);
    String friendAccount = account + "-f";
    String friend = Suite.unique("fred");
    String otherFriend = Suite.unique("finn");
    Fixtures.participant(p, key, friendAccount, friend);
    Fixtures.participant(p, key, friendAccount + "2", otherFriend);
    JsonNode applied =
        check(
            new Write(
                "open apply code",
                () -> withKey(key),
                "POST",
                open(p, "code/" + code + "/account/" + friendAccount + "/user/" + friend),
                null,
                open(p, "code/" + code + "/account/" + friendAccount + "2/user/" + otherFriend),
                null,
                REUSED));
    Number total =
        withKey(key)
            .get(
                open(p, "referrals?referringAccountId=" + account + "&referringUserId=" + referrer))
            .path("totalCount");
    effect(total != null && total.intValue() == 1, "one referral for the referrer, got " + total);

    String referral = applied.path("id").asText();
    check(
        new Write(
            "manage convert",
            () -> server(p),
            "POST",
            "/manage/v1/referral/referrals/" + referral + "/convert",
            null,
            "/manage/v1/referral/referrals/" + UUID.randomUUID() + "/convert",
            null,
            REUSED));
    String state = server(p).get("/manage/v1/referral/referrals/" + referral).path("state");
    effect("CONVERTED".equals(state), "converted, state " + state);
    // The event leaves through the outbox relay: wait for it, then count (once, not twice).
    List<?> conversions = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (conversions.isEmpty() && System.nanoTime() < deadline) {
      conversions =
          Topics.readFromStart(
              "referral.referrals.v1",
              r ->
                  r.value().contains("referral.referral.converted.v1")
                      && r.value().contains(referral),
              Duration.ofSeconds(20));
    }
    effect(conversions.size() == 1, "one ReferralConverted event, got " + conversions.size());
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void paymentWritesAnswerTheSameOnceAndRefuseAnotherBody() throws Exception {
    figures.item("2", "payment: attach card, charge, refund, subscribe, cancel");
    Partner p = Fixtures.partner();
    String user = Suite.unique("pay");
    String token = Fixtures.userToken(p, user);
    check(
        new Write(
            "attach card",
            () -> bearer(token),
            "POST",
            "/api/users/payment/",
            "{\"token\":\"tok_visa\"}",
            "/api/users/payment/",
            "{\"token\":\"tok_mastercard\"}",
            REUSED));
    String charges = "/manage/v1/payments/users/" + user + "/charges";
    JsonNode charge =
        check(
            new Write(
                "charge",
                () -> server(p),
                "POST",
                charges,
                "{\"amount\":500,\"currency\":\"usd\"}",
                charges,
                "{\"amount\":600,\"currency\":\"usd\"}",
                REUSED));
    List<?> listed = server(p).get(charges).then().statusCode(200).extract().path("$");
    effect(listed.size() == 1, "one charge, got " + listed.size());

    String chargeId = charge.path("id").asText();
    check(
        new Write(
            "refund",
            () -> server(p),
            "POST",
            "/manage/v1/payments/charges/" + chargeId + "/refunds",
            "{\"amount\":100}",
            "/manage/v1/payments/charges/" + chargeId + "/refunds",
            "{\"amount\":200}",
            REUSED));
    Number refunded = server(p).get(charges).path("[0].amount_refunded");
    effect(refunded != null && refunded.intValue() == 100, "refunded 100 once, got " + refunded);

    String subscriptions = "/manage/v1/payments/users/" + user + "/subscriptions";
    JsonNode subscription =
        check(
            new Write(
                "subscribe",
                () -> server(p),
                "POST",
                subscriptions,
                "{\"price_id\":\"price_basic\"}",
                subscriptions,
                "{\"price_id\":\"price_gold\"}",
                REUSED));
    List<?> subs = server(p).get(subscriptions).then().statusCode(200).extract().path("$");
    effect(subs.size() == 1, "one subscription, got " + subs.size());
    String subscriptionId = subscription.path("id").asText();
    check(
        new Write(
            "cancel subscription",
            () -> server(p),
            "POST",
            "/manage/v1/payments/subscriptions/" + subscriptionId + "/cancel",
            null,
            "/manage/v1/payments/subscriptions/sub_other"
                + UUID.randomUUID().toString().replace("-", "")
                + "/cancel",
            null,
            REUSED));
    String status = server(p).get(subscriptions).path("[0].status");
    effect("canceled".equals(status), "canceled, status " + status);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void anEventDropWithTheSameKeyIsStoredOnce() throws Exception {
    figures.item("2", "analytics: event drop (Idempotency-Key = client event id)");
    Partner p = Fixtures.partner();
    String token = Fixtures.userToken(p, Suite.unique("drop"));
    String event = "rel_" + UUID.randomUUID().toString().substring(0, 8);
    String key = "idem-" + UUID.randomUUID();
    // The same key and body as a retry: answered 200 twice, one event on Kafka.
    Write drop =
        new Write(
            "event drop",
            () -> bearer(token),
            "POST",
            "/fe/analytics/px-tracker/events/" + event + "/drop",
            "{\"page\":\"home\",\"n\":1}",
            "/fe/analytics/px-tracker/events/" + event + "/drop",
            "{\"page\":\"other\",\"n\":2}",
            "CLIENT_EVENT_ID_REUSED");
    for (int i = 0; i < 2; i++) {
      Response r = send(drop, key, drop.path(), drop.body());
      assertEquals(200, r.statusCode(), r.asString());
      figures.succeeded();
    }
    Response other = send(drop, key, drop.otherPath(), drop.otherBody());
    assertEquals(409, other.statusCode(), other.asString());
    assertEquals("CLIENT_EVENT_ID_REUSED", other.path("code"));
    figures.refused("409 CLIENT_EVENT_ID_REUSED");
    var records =
        Topics.readFromStart(
            "analytics.px-events.v1", r -> r.value().contains(key), Duration.ofSeconds(20));
    figures.lost(Math.abs(records.size() - 1));
    assertEquals(1, records.size(), "events on analytics.px-events.v1 with the key");
  }
}
