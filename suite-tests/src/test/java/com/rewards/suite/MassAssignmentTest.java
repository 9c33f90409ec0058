package com.rewards.suite;

import static com.rewards.suite.Fixtures.open;
import static com.rewards.suite.Fixtures.server;
import static com.rewards.suite.Fixtures.withKey;
import static com.rewards.suite.Net.bearer;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 9: privileged fields in request bodies (balance, points, cost, partner/client_id,
 * user ids, role, token use, referable, segments, charge status) are ignored or refused, and the
 * stored state, read back, proves it. Unknown fields are ignored by design (Jackson), so "ignored"
 * is checked on what was stored, never on the answer alone.
 */
class MassAssignmentTest {
  @RegisterExtension final Figures figures = new Figures();

  private void accepted(Response r, String what) {
    assertTrue(r.statusCode() >= 200 && r.statusCode() < 300, what + ": " + r.asString());
    figures.succeeded();
  }

  @Test
  void loyaltyTakesNoBalancePointsCostOrPartnerFromTheBody() {
    figures.item(
        "9", "loyalty: balance/points/cost/user/partner in adjustment, earn, burn, program, gift");
    Partner a = Fixtures.partner();
    Partner b = Fixtures.partner();
    Fixtures.program(a);
    Fixtures.program(b);
    Fixtures.action(a, "five", 5);
    String gift = Fixtures.gift(a, 20, null);
    String user = Suite.unique("ma");
    String victim = Suite.unique("victim");
    String token = Fixtures.userToken(a, user);
    Fixtures.userToken(a, victim);
    Fixtures.adjust(a, victim, 10);
    Fixtures.adjust(b, user, 10);

    accepted(
        server(a)
            .body(
                "{\"points\":50,\"reason\":\"r\",\"balance\":1000000,\"client_id\":\""
                    + b.clientId()
                    + "\",\"user_id\":\""
                    + victim
                    + "\"}")
            .post("/manage/v1/users/" + user + "/adjustments"),
        "adjustment with balance/client_id/user_id");
    assertEquals(50, Fixtures.balance(a, user), "the adjustment's points only");

    accepted(
        bearer(token)
            .body(
                "{\"action_code\":\"five\",\"points\":100000,\"balance\":100000,\"user_id\":\""
                    + victim
                    + "\",\"client_id\":\""
                    + b.clientId()
                    + "\"}")
            .post("/generosity/store"),
        "earn with points/user_id/client_id");
    assertEquals(55, Fixtures.balance(a, user), "the action's points, to the token's user");

    Response bought =
        bearer(token)
            .body(
                "{\"gift_id\":\""
                    + gift
                    + "\",\"points\":0,\"cost\":0,\"price\":0,\"balance\":999999,\"user_id\":\""
                    + victim
                    + "\"}")
            .post("/gift/checkavailability");
    accepted(bought, "gift purchase with points/cost/balance/user_id");
    assertEquals(20, ((Number) bought.path("data.cost")).intValue(), "the gift's own cost");
    assertEquals(35, Fixtures.balance(a, user), "cost taken from the token's user");
    assertEquals(10, Fixtures.balance(a, victim), "the victim untouched");
    assertEquals(10, Fixtures.balance(b, user), "partner B's same-named user untouched");

    String bName = server(b).get("/manage/v1/program").path("name");
    accepted(
        server(a)
            .body(
                "{\"name\":\"Renamed\",\"points_name\":\"points\",\"pending_days\":0,"
                    + "\"client_id\":\""
                    + b.clientId()
                    + "\"}")
            .put("/manage/v1/program"),
        "program with client_id");
    assertEquals(bName, server(b).get("/manage/v1/program").path("name"), "B's program");
    assertEquals("Renamed", server(a).get("/manage/v1/program").path("name"), "A's own program");

    String made =
        server(a)
            .body(
                "{\"name\":\"Planted\",\"cost\":1,\"client_id\":\""
                    + b.clientId()
                    + "\",\"partner\":\""
                    + b.clientId()
                    + "\"}")
            .post("/manage/v1/gifts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    figures.succeeded();
    List<String> bGifts = server(b).get("/manage/v1/gifts").path("gifts.id");
    assertFalse(bGifts.contains(made), "the gift is A's, not B's");
    assertEquals(200, server(a).get("/manage/v1/gifts/" + made).statusCode());
  }

  @Test
  void authTakesNoRoleTokenUseOrIdentityFromTheBody() {
    figures.item("9", "auth: role/token_use/client_id/id in sign-in, profile, partner settings");
    Partner a = Fixtures.partner();
    Partner b = Fixtures.partner();
    String user = Suite.unique("ma");
    String token =
        Net.gw()
            .body(
                "{\"client_id\":\""
                    + a.clientId()
                    + "\",\"user_id\":\""
                    + user
                    + "\",\"role\":\"admin\",\"roles\":[\"server\",\"operator\"],"
                    + "\"token_use\":\"server\",\"scope\":\"admin\"}")
            .post("/user/clientcheckcredentials")
            .then()
            .statusCode(200)
            .extract()
            .path("data.user.userToken");
    Secrets.remember(token);
    figures.succeeded();
    JsonNode claims = Jwt.claimsOf(token);
    assertEquals("user", claims.path("token_use").asText(), "token use: " + claims);
    assertTrue(claims.path("role").isMissingNode() && claims.path("roles").isMissingNode());
    assertEquals(
        403,
        bearer(token).get("/manage/v1/partner").statusCode(),
        "a user token on a server route");
    figures.refused(403);

    String password = Secrets.remember("Pw-" + UUID.randomUUID());
    accepted(
        bearer(token)
            .body(
                "{\"username\":\"u"
                    + UUID.randomUUID().toString().substring(0, 8)
                    + "\",\"new_password\":\""
                    + password
                    + "\",\"role\":\"admin\",\"client_id\":\""
                    + b.clientId()
                    + "\",\"id\":\"someone-else\",\"user_id\":\"someone-else\","
                    + "\"created_at\":\"2000-01-01T00:00:00Z\"}")
            .post("/api/users/update"),
        "profile update with role/client_id/id");
    JsonNode me = Jwt.JSON.valueToTree(bearer(token).get("/api/users/isLogged").path("user"));
    assertEquals(user, me.path("id").asText(), "the user's id: " + me);
    assertTrue(me.path("has_password").asBoolean(), "the password field is a real one");
    assertFalse(me.path("created_at").asText().startsWith("2000"), "created_at: " + me);
    assertTrue(me.path("role").isMissingNode(), "no role: " + me);
    assertEquals(404, server(b).get("/api/users/show/" + user).statusCode(), "not moved to B");
    assertEquals(
        404, server(a).get("/api/users/show/someone-else").statusCode(), "no renamed user");
    figures.refused(404);

    String bName = server(b).get("/manage/v1/partner").path("name");
    accepted(
        server(a)
            .body(
                "{\"store_url\":\"https://store.example/a\",\"client_id\":\""
                    + b.clientId()
                    + "\",\"name\":\"Hijacked\"}")
            .put("/manage/v1/partner"),
        "partner settings with client_id/name");
    assertEquals(a.clientId(), server(a).get("/manage/v1/partner").path("clientId"));
    assertEquals("Reliability partner", server(a).get("/manage/v1/partner").path("name"));
    assertEquals(bName, server(b).get("/manage/v1/partner").path("name"), "B's settings");
    assertNull(server(b).get("/manage/v1/partner").path("storeUrl"), "B's store url");
  }

  @Test
  void referralRefusesServerOnlyFieldsFromUserTokens() {
    figures.item("9", "referral: referable/segments from a client JWT (body or claims)");
    Partner a = Fixtures.partner();
    String key = Fixtures.referralProgramAndKey(a);
    String secret = Fixtures.clientJwtSecret(a, "ma-secret");
    String account = "acc-" + UUID.randomUUID().toString().substring(0, 8);
    String user = Suite.unique("ma");
    String path = open(a, "account/" + account + "/user/" + user);
    Fixtures.participant(a, key, account, user);
    JsonNode before =
        Jwt.JSON.valueToTree(withKey(key).get(path).then().statusCode(200).extract().path("$"));

    var claims = Jwt.object().put("exp", System.currentTimeMillis() / 1000 + 300);
    claims.putObject("user").put("id", user).put("accountId", account).put("firstName", "Tok");
    String writeToken =
        Jwt.hs256(
            Jwt.object().put("alg", "HS256"), claims, secret.getBytes(StandardCharsets.UTF_8));
    Response viaBody =
        bearer(writeToken)
            .body(
                "{\"referable\":"
                    + !before.path("referable").asBoolean()
                    + ",\"segments\":[\"vip\"]}")
            .put(path);
    assertEquals(403, viaBody.statusCode(), viaBody.asString());
    assertEquals("SERVER_ONLY_FIELD", viaBody.path("code"));
    figures.refused("403 SERVER_ONLY_FIELD");

    var loaded = claims.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) loaded.get("user"))
        .put("referable", !before.path("referable").asBoolean())
        .putArray("segments")
        .add("vip");
    Response viaClaims =
        bearer(
                Jwt.hs256(
                    Jwt.object().put("alg", "HS256"),
                    loaded,
                    secret.getBytes(StandardCharsets.UTF_8)))
            .body("{}")
            .put(path);
    assertEquals(403, viaClaims.statusCode(), viaClaims.asString());
    figures.refused("403 SERVER_ONLY_FIELD");

    JsonNode after = Jwt.JSON.valueToTree(withKey(key).get(path).path("$"));
    assertEquals(before.path("referable"), after.path("referable"), "referable unchanged");
    assertEquals(before.path("segments"), after.path("segments"), "segments unchanged");
    // Control: the partner's API key may set them.
    withKey(key).body("{\"segments\":[\"vip\"]}").put(path).then().statusCode(oneOf(200, 201));
    figures.succeeded();
    assertEquals(List.of("vip"), withKey(key).get(path).path("segments"));
  }

  @Test
  void paymentAndAnalyticsTakeNoStatusOrIdentityFromTheBody() {
    figures.item("9", "payment charge status/refunded, analytics drop user/partner");
    Partner a = Fixtures.partner();
    Partner b = Fixtures.partner();
    String user = Suite.unique("ma");
    String token = Fixtures.userToken(a, user);
    Fixtures.card(token, "tok_visa");
    Response charged =
        server(a)
            .body(
                "{\"amount\":300,\"currency\":\"usd\",\"status\":\"refunded\","
                    + "\"amount_refunded\":300,\"refunded\":true,\"paid\":false,"
                    + "\"client_id\":\""
                    + b.clientId()
                    + "\",\"user_id\":\"someone-else\",\"id\":\"ch_chosen\"}")
            .post("/manage/v1/payments/users/" + user + "/charges");
    accepted(charged, "charge with status/refunded/client_id/id");
    List<JsonNode> charges =
        List.of(
            Jwt.JSON.valueToTree(
                server(a).get("/manage/v1/payments/users/" + user + "/charges").path("[0]")));
    JsonNode stored = charges.get(0);
    assertEquals("succeeded", stored.path("status").asText(), "status: " + stored);
    assertEquals(0, stored.path("amount_refunded").asInt(), "amount_refunded: " + stored);
    assertFalse(stored.path("refunded").asBoolean());
    assertFalse("ch_chosen".equals(stored.path("id").asText()), "id chosen by the body");

    String clientEventId = "ma-" + UUID.randomUUID();
    accepted(
        bearer(token)
            .header("X-Client-Event-Id", clientEventId)
            .body(
                "{\"page\":\"home\",\"user_id\":\"someone-else\",\"client_id\":\""
                    + b.clientId()
                    + "\"}")
            .post("/fe/analytics/px-tracker/events/ma_view/drop"),
        "event drop with user_id/client_id attributes");
    var records =
        Topics.readFromStart(
            "analytics.px-events.v1",
            r -> r.value().contains(clientEventId),
            Duration.ofSeconds(20));
    assertEquals(1, records.size(), "the dropped event");
    JsonNode data;
    try {
      data = Jwt.JSON.readTree(records.get(0).value()).path("data");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertEquals(a.clientId(), data.path("client_id").asText(), "event partner: " + data);
    assertEquals(user, data.path("user_id").asText(), "event user: " + data);
  }
}
