package com.rewards.suite;

import static com.rewards.suite.Net.bearer;
import static com.rewards.suite.Net.gw;
import static org.hamcrest.Matchers.oneOf;

import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * What the reliability tests set up through the public API, as a partner would: partners, their
 * program, actions and gifts, API keys, users. Every secret it sees goes to {@link Secrets}.
 */
final class Fixtures {
  private Fixtures() {}

  /** A new partner, made through the admin API as an operator would, with its server token. */
  static Partner partner() {
    String clientId = Suite.unique("rel");
    String secret =
        gw().header("X-Operator-Key", Suite.OPERATOR_KEY)
            .body("{\"name\":\"Reliability partner\",\"client_id\":\"" + clientId + "\"}")
            .post("/admin/v1/partners")
            .then()
            .statusCode(201)
            .extract()
            .path("clientSecret");
    var answer =
        gw().body("{\"client_id\":\"" + clientId + "\",\"client_secret\":\"" + secret + "\"}")
            .post("/auth/token")
            .then()
            .statusCode(200)
            .extract();
    String token = answer.path("data.access_token");
    if (token == null) {
      throw new AssertionError("auth/token answered no data.access_token: " + answer.asString());
    }
    Secrets.remember(secret);
    Secrets.remember(token);
    return new Partner(clientId, secret, token);
  }

  static RequestSpecification server(Partner p) {
    return bearer(p.serverToken());
  }

  /** Signs the user in (document 000) and returns the user token. */
  static String userToken(Partner p, String userId) {
    String token =
        gw().body(
                "{\"client_id\":\""
                    + p.clientId()
                    + "\",\"user_id\":\""
                    + userId
                    + "\",\"first_name\":\"Rel\"}")
            .post("/user/clientcheckcredentials")
            .then()
            .statusCode(200)
            .extract()
            .path("data.user.userToken");
    return Secrets.remember(token);
  }

  /** The loyalty program, with earns available at once (no pending days). */
  static void program(Partner p) {
    server(p)
        .body("{\"name\":\"Reliability program\",\"points_name\":\"points\",\"pending_days\":0}")
        .put("/manage/v1/program")
        .then()
        .statusCode(oneOf(200, 201));
  }

  static void action(Partner p, String code, long points) {
    server(p)
        .body(
            "{\"code\":\""
                + code
                + "\",\"name\":\"Action "
                + code
                + "\",\"points\":"
                + points
                + ",\"active\":true}")
        .post("/manage/v1/actions")
        .then()
        .statusCode(201);
  }

  /** A gift of {@code cost} points; {@code stock} null for unlimited. Returns its id. */
  static String gift(Partner p, long cost, Integer stock) {
    return server(p)
        .body(
            "{\"name\":\"Gift\",\"cost\":"
                + cost
                + ",\"stock\":"
                + (stock == null ? "null" : stock.toString())
                + "}")
        .post("/manage/v1/gifts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Credits (or debits) a user by hand; returns the new balance. */
  static long adjust(Partner p, String userId, long points) {
    Number balance =
        server(p)
            .body("{\"points\":" + points + ",\"reason\":\"reliability fixture\"}")
            .post("/manage/v1/users/" + userId + "/adjustments")
            .then()
            .statusCode(oneOf(200, 201))
            .extract()
            .path("balance");
    return balance.longValue();
  }

  /** The user's balance as the partner's server reads it (0 for an unknown user). */
  static long balance(Partner p, String userId) {
    var answer = server(p).get("/user/info?user_id=" + userId).then().extract();
    if (answer.statusCode() == 404) {
      return 0;
    }
    if (answer.statusCode() != 200) {
      throw new AssertionError("user/info " + answer.statusCode() + ": " + answer.asString());
    }
    Number n = answer.path("data.balance");
    return n.longValue();
  }

  /** A referral program (rewards on manual conversion) and an API key of document 001. */
  static String referralProgramAndKey(Partner p) {
    referralProgram(
        p,
        "{\"referrerPoints\":100,\"referredPoints\":50,\"conversionTrigger\":\"manual\","
            + "\"enabled\":true}");
    return apiKey(p);
  }

  /** Sets the partner's referral program settings (a JSON object of ProgramService's fields). */
  static void referralProgram(Partner p, String settings) {
    server(p).body(settings).put("/manage/v1/referral/program").then().statusCode(200);
  }

  /**
   * Registers a fresh HS256 secret as the key that signs the partner's client JWTs (document 001);
   * returns it, remembered for the log scan.
   */
  static String clientJwtSecret(Partner p, String prefix) {
    String secret = Secrets.remember(prefix + "-" + UUID.randomUUID() + UUID.randomUUID());
    server(p)
        .body("{\"algorithm\":\"HS256\",\"secret\":\"" + secret + "\"}")
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(200);
    return secret;
  }

  static String apiKey(Partner p) {
    String key =
        server(p)
            .body("{\"name\":\"reliability\"}")
            .post("/manage/v1/referral/api-keys")
            .then()
            .statusCode(201)
            .extract()
            .path("key");
    return Secrets.remember(key);
  }

  /** Document 001's API key: HTTP Basic with the key as the password. */
  static RequestSpecification withKey(String key) {
    String basic =
        Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
    return gw().header("Authorization", "Basic " + basic);
  }

  static String open(Partner p, String path) {
    return "/api/v1/" + p.clientId() + "/open/" + path;
  }

  /** Creates a referral participant with the API key; returns their referral code. */
  static String participant(Partner p, String key, String account, String userId) {
    return withKey(key)
        .body("{\"firstName\":\"Rel\",\"lastName\":\"Test\"}")
        .put(open(p, "account/" + account + "/user/" + userId))
        .then()
        .statusCode(oneOf(200, 201))
        .extract()
        .path("referralCode");
  }

  /** Attaches a test card (Stripe test token) for the user; returns the card id. */
  static String card(String userToken, String stripeToken) {
    return bearer(userToken)
        .body("{\"token\":\"" + stripeToken + "\"}")
        .post("/api/users/payment/")
        .then()
        .statusCode(oneOf(200, 201))
        .extract()
        .path("data.id");
  }
}
