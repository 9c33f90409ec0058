package com.rewards.suite;

import static com.rewards.suite.Fixtures.open;
import static com.rewards.suite.Fixtures.server;
import static com.rewards.suite.Fixtures.withKey;
import static com.rewards.suite.Net.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 8 (BOLA): every route that names an object by id, called with the id of another
 * partner's object (and, for user routes, another user's) answers 404, exactly as for an id that
 * does not exist, and the object is unchanged afterwards. The routes come from gateway/routes.tsv
 * and the services' resources: loyalty gifts, ads, actions, redemptions and users; referral
 * participants, referrals and API keys; payment cards, charges and subscriptions; auth's user show.
 * Analytics has no id-bearing route (the caller's own data only).
 */
class BolaTest {
  @RegisterExtension final Figures figures = new Figures();
  private final List<String> leaks = new ArrayList<>();

  private void expect(Set<Integer> allowed, String what, Supplier<Response> call) {
    Response r = call.get();
    if (allowed.contains(r.statusCode())) {
      figures.refused(r.statusCode());
    } else {
      figures.refused(String.valueOf(r.statusCode()));
      figures.lost(1);
      leaks.add(what + " -> " + r.statusCode() + " " + r.asString());
    }
  }

  private void notFound(String what, Supplier<Response> call) {
    expect(Set.of(404), what, call);
  }

  @Test
  void loyaltyObjectsOfAnotherPartnerAre404() {
    figures.item("8", "loyalty: gifts, ads, actions, redemptions, users of another partner");
    Partner a = Fixtures.partner();
    Partner b = Fixtures.partner();
    Fixtures.program(a);
    Fixtures.program(b);
    String action = "bola-" + UUID.randomUUID().toString().substring(0, 8);
    Fixtures.action(a, action, 5);
    String gift = Fixtures.gift(a, 10, 5);
    String ad =
        server(a)
            .body("{\"kind\":\"news\",\"title\":\"A's news\"}")
            .post("/manage/v1/ads")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String alice = Suite.unique("alice");
    String aliceToken = Fixtures.userToken(a, alice);
    Fixtures.adjust(a, alice, 100);
    String redemption =
        bearer(aliceToken)
            .body("{\"gift_id\":\"" + gift + "\"}")
            .post("/gift/checkavailability")
            .then()
            .statusCode(200)
            .extract()
            .path("data.redemption_id");
    String bob = Suite.unique("bob");
    String bobToken = Fixtures.userToken(b, bob);
    Fixtures.adjust(b, bob, 100);

    // B's server on A's objects.
    notFound("B GET A's gift", () -> server(b).get("/manage/v1/gifts/" + gift));
    notFound(
        "B PUT A's gift",
        () -> server(b).body("{\"name\":\"mine\",\"cost\":1}").put("/manage/v1/gifts/" + gift));
    notFound(
        "B POST A's gift stock",
        () -> server(b).body("{\"stock\":1000}").post("/manage/v1/gifts/" + gift + "/stock"));
    notFound(
        "B PATCH A's gift stock",
        () -> server(b).body("{\"stock\":1000}").patch("/manage/v1/gifts/" + gift + "/stock"));
    notFound("B DELETE A's gift", () -> server(b).delete("/manage/v1/gifts/" + gift));
    notFound("B GET A's ad", () -> server(b).get("/manage/v1/ads/" + ad));
    notFound(
        "B PUT A's ad",
        () -> server(b).body("{\"kind\":\"news\",\"title\":\"x\"}").put("/manage/v1/ads/" + ad));
    notFound("B DELETE A's ad", () -> server(b).delete("/manage/v1/ads/" + ad));
    notFound("B GET A's action", () -> server(b).get("/manage/v1/actions/" + action));
    notFound(
        "B PUT A's action",
        () ->
            server(b).body("{\"name\":\"x\",\"points\":1000}").put("/manage/v1/actions/" + action));
    notFound("B DELETE A's action", () -> server(b).delete("/manage/v1/actions/" + action));
    notFound(
        "B refunds A's redemption",
        () -> server(b).post("/manage/v1/redemptions/" + redemption + "/refund"));
    notFound("B reads A's user", () -> server(b).get("/user/info?user_id=" + alice));
    // B's user on A's gift and action.
    notFound(
        "B's user buys A's gift",
        () ->
            bearer(bobToken)
                .body("{\"gift_id\":\"" + gift + "\"}")
                .post("/gift/checkavailability"));
    expect(
        Set.of(404, 409),
        "B's user earns with A's action",
        () ->
            bearer(bobToken)
                .body("{\"action_code\":\"" + action + "\"}")
                .post("/generosity/store"));

    // Nothing of A's moved.
    assertEquals(4, (int) server(a).get("/manage/v1/gifts/" + gift).path("stock"), "A's stock");
    assertEquals("A's news", server(a).get("/manage/v1/ads/" + ad).path("title"));
    assertEquals(5, (int) server(a).get("/manage/v1/actions/" + action).path("points"));
    assertEquals(90, Fixtures.balance(a, alice), "A's user after B's attempts");
    assertEquals(100, Fixtures.balance(b, bob), "B's user earned nothing from A's action");
    List<Object> burns =
        bearer(aliceToken)
            .get("/user/historyburns")
            .then()
            .statusCode(200)
            .extract()
            .path("data.items.findAll { it.state == 'completed' || it.state == 'COMPLETED' }");
    assertEquals(1, burns.size(), "A's redemption still completed");
    assertTrue(leaks.isEmpty(), String.join("\n", leaks));
  }

  @Test
  void referralObjectsOfAnotherPartnerOrUserAreRefused() {
    figures.item("8", "referral: participants, referrals, API keys of another partner/user");
    Partner a = Fixtures.partner();
    Partner b = Fixtures.partner();
    String keyA = Fixtures.referralProgramAndKey(a);
    String keyB = Fixtures.referralProgramAndKey(b);
    String secret = Fixtures.clientJwtSecret(a, "bola-secret");
    String account = "acc-" + UUID.randomUUID().toString().substring(0, 8);
    String rita = Suite.unique("rita");
    String fred = Suite.unique("fred");
    String code = Fixtures.participant(a, keyA, account, rita);
    String fredAccount = account + "-f";
    Fixtures.participant(a, keyA, fredAccount, fred);
    String referral =
        withKey(keyA)
            .post(open(a, "code/" + code + "/account/" + fredAccount + "/user/" + fred))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String keyAId =
        server(a)
            .get("/manage/v1/referral/api-keys")
            .then()
            .statusCode(200)
            .extract()
            .path("api_keys[0].id");

    // B's server and API key on A's objects.
    notFound(
        "B GET A's referral", () -> server(b).get("/manage/v1/referral/referrals/" + referral));
    for (String verb : List.of("approve", "deny", "convert")) {
      notFound(
          "B " + verb + "s A's referral",
          () -> server(b).post("/manage/v1/referral/referrals/" + referral + "/" + verb));
    }
    notFound(
        "B revokes A's API key", () -> server(b).delete("/manage/v1/referral/api-keys/" + keyAId));
    notFound(
        "B's key reads A's user under B's tenant",
        () -> withKey(keyB).get(open(b, "account/" + account + "/user/" + rita)));
    // B's key on A's tenant path: not A's key, so no credential at all there.
    expect(
        Set.of(401, 403),
        "B's key on A's tenant",
        () -> withKey(keyB).get(open(a, "account/" + account + "/user/" + rita)));
    List<Object> listed =
        withKey(keyB)
            .get(open(b, "referrals?referringAccountId=" + account + "&referringUserId=" + rita))
            .then()
            .statusCode(200)
            .extract()
            .path("referrals");
    assertEquals(0, listed.size(), "B's listing of A's referrer");
    figures.refused("200 empty list");

    // Fred's client JWT on Rita's data: refused as 403 TOKEN_USER_MISMATCH whether or not the
    // named user exists (so it tells nothing about her), never her data.
    String fredToken =
        Jwt.hs256(
            Jwt.object().put("alg", "HS256"),
            clientClaims(fred, fredAccount),
            secret.getBytes(StandardCharsets.UTF_8));
    for (String path :
        List.of(
            "account/" + account + "/user/" + rita,
            "account/" + fredAccount + "/user/nobody-" + UUID.randomUUID(),
            "referrals?referringAccountId=" + account + "&referringUserId=" + rita)) {
      Response r = bearer(fredToken).get(open(a, path));
      if (r.statusCode() == 403 && "TOKEN_USER_MISMATCH".equals(r.path("code"))) {
        figures.refused("403 TOKEN_USER_MISMATCH");
      } else {
        figures.lost(1);
        leaks.add("Fred's token on " + path + " -> " + r.statusCode() + " " + r.asString());
      }
    }
    assertEquals(
        200,
        bearer(fredToken).get(open(a, "account/" + fredAccount + "/user/" + fred)).statusCode(),
        "control: Fred's token on Fred");
    figures.succeeded();
    assertEquals(
        "PENDING",
        server(a).get("/manage/v1/referral/referrals/" + referral).path("state"),
        "A's referral untouched");
    assertNull(
        server(a).get("/manage/v1/referral/api-keys").path("api_keys[0].revoked_at"),
        "A's key not revoked");
    assertTrue(leaks.isEmpty(), String.join("\n", leaks));
  }

  @Test
  void paymentAndAuthObjectsOfAnotherUserOrPartnerAre404() {
    figures.item("8", "payment cards/charges/subscriptions, auth user show");
    Partner a = Fixtures.partner();
    Partner b = Fixtures.partner();
    String alice = Suite.unique("alice");
    String aliceToken = Fixtures.userToken(a, alice);
    String otto = Suite.unique("otto");
    String ottoToken = Fixtures.userToken(a, otto);
    String bob = Suite.unique("bob");
    String bobToken = Fixtures.userToken(b, bob);
    String card = Fixtures.card(aliceToken, "tok_visa");
    Fixtures.card(ottoToken, "tok_mastercard");
    String charge =
        server(a)
            .body("{\"amount\":700,\"currency\":\"usd\"}")
            .post("/manage/v1/payments/users/" + alice + "/charges")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String subscription =
        server(a)
            .body("{\"price_id\":\"price_basic\"}")
            .post("/manage/v1/payments/users/" + alice + "/subscriptions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    // Another user of the same partner (Otto), and a user of another partner (Bob), on Alice's
    // card.
    for (var who : List.of(List.of("Otto", ottoToken), List.of("Bob", bobToken))) {
      String name = who.get(0);
      Supplier<RequestSpecification> as = () -> bearer(who.get(1));
      notFound(name + " GET Alice's card", () -> as.get().get("/api/users/payment/card/" + card));
      notFound(
          name + " sets Alice's card default",
          () -> as.get().post("/api/users/payment/card/" + card + "/default"));
      notFound(
          name + " updates Alice's card",
          () ->
              as.get()
                  .body("{\"id\":\"" + card + "\",\"metadata\":{\"address_city\":\"X\"}}")
                  .put("/api/users/payment/card"));
      notFound(
          name + " deletes Alice's card", () -> as.get().delete("/api/users/payment/card/" + card));
    }
    // B's server on A's charge, subscription and user.
    notFound(
        "B refunds A's charge",
        () -> server(b).body("{}").post("/manage/v1/payments/charges/" + charge + "/refunds"));
    notFound(
        "B cancels A's subscription",
        () -> server(b).post("/manage/v1/payments/subscriptions/" + subscription + "/cancel"));
    expect(
        Set.of(404, 200),
        "B lists charges of A's user id",
        () -> server(b).get("/manage/v1/payments/users/" + alice + "/charges"));
    List<Object> bCharges =
        server(b).get("/manage/v1/payments/users/" + alice + "/charges").statusCode() == 404
            ? List.of()
            : server(b).get("/manage/v1/payments/users/" + alice + "/charges").path("$");
    assertEquals(0, bCharges.size(), "B sees none of A's user's charges");

    // auth: user show across partners is 404; inside a partner only public fields.
    notFound("Bob shows Alice", () -> bearer(bobToken).get("/api/users/show/" + alice));
    notFound("B's server shows Alice", () -> server(b).get("/api/users/show/" + alice));
    Response ottoSees = bearer(ottoToken).get("/api/users/show/" + alice);
    assertEquals(200, ottoSees.statusCode(), "same partner: public profile");
    assertNull(ottoSees.path("email"), "no email for another user");
    figures.succeeded();

    // Nothing of Alice's moved.
    assertEquals(card, bearer(aliceToken).get("/api/users/payment/card/" + card).path("data.id"));
    assertEquals(
        0,
        (int)
            server(a)
                .get("/manage/v1/payments/users/" + alice + "/charges")
                .path("[0].amount_refunded"));
    assertEquals(
        "active",
        server(a).get("/manage/v1/payments/users/" + alice + "/subscriptions").path("[0].status"));
    server(a)
        .post("/manage/v1/payments/subscriptions/" + subscription + "/cancel")
        .then()
        .statusCode(200);
    assertTrue(leaks.isEmpty(), String.join("\n", leaks));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode clientClaims(
      String user, String account) {
    var claims = Jwt.object().put("exp", System.currentTimeMillis() / 1000 + 300);
    claims.putObject("user").put("id", user).put("accountId", account);
    return claims;
  }
}
