package com.rewards.referral;

import static com.rewards.referral.ReferralFixtures.fields;
import static com.rewards.referral.ReferralFixtures.newId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.rewards.platform.testing.TestTokens;
import com.rewards.referral.ReferralFixtures.Partner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * Document 001's authentication on every open endpoint: API key in HTTP Basic, read and write
 * client JWTs signed with the partner's registered key and valid only for the user they name, and
 * the public lookups. Failures carry the Advocate error members beside problem+json.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class OpenAuthTest {

  private static String userPath(String account, String user) {
    return "account/" + account + "/user/" + user;
  }

  @Test
  void everyNonPublicEndpointNeedsACredential() {
    Partner p = ReferralFixtures.partner();
    String code = p.user("a1", newId("u"), "Ann", "Lee", null);
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .post(p.path(userPath("a2", "u2")))
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", equalTo("UNAUTHORIZED"))
        .body("statusCode", equalTo(401))
        .body("apiErrorCode", equalTo("UNAUTHORIZED"))
        .body("message", equalTo("A valid token is required."));
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .put(p.path(userPath("a2", "u2")))
        .then()
        .statusCode(401);
    given().get(p.path(userPath("a2", "u2"))).then().statusCode(401);
    given().post(p.path("code/" + code + "/" + userPath("a2", "u2"))).then().statusCode(401);
    given().get(p.path("referrals")).then().statusCode(401);
    // The two lookups are public.
    given().get(p.path("user?referralCode=" + code)).then().statusCode(200);
    given().get(p.path("code/" + code)).then().statusCode(200);
  }

  @Test
  void createWithTheApiKeyTakesTheBodyIncludingServerOnlyFields() {
    Partner p = ReferralFixtures.partner();
    String user = newId("u");
    p.withKey()
        .contentType(ContentType.JSON)
        .body(
            fields(
                "id", user,
                "email", "ann@example.com",
                "firstName", "Ann",
                "lastName", "Lee",
                "locale", "en_US",
                "referable", false,
                "segments", List.of("vip"),
                "somethingUnknown", "ignored"))
        .post(p.path(userPath("acc-1", user)))
        .then()
        .statusCode(201)
        .body("id", equalTo(user))
        .body("accountId", equalTo("acc-1"))
        .body("email", equalTo("ann@example.com"))
        .body("referralCode", equalTo("ANNLEE"))
        .body("referable", equalTo(false))
        .body("segments", contains("vip"));
    // The same user again: 409.
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("firstName", "Ann"))
        .post(p.path(userPath("acc-1", user)))
        .then()
        .statusCode(409)
        .body("code", equalTo("USER_EXISTS"))
        .body("apiErrorCode", equalTo("USER_EXISTS"))
        .body("statusCode", equalTo(409));
    // The body may not name another user than the path.
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("id", "someone-else"))
        .post(p.path(userPath("acc-1", newId("u"))))
        .then()
        .statusCode(400);
  }

  @Test
  void createWithAWriteTokenTakesTheTokensFieldsOnly() {
    Partner p = ReferralFixtures.partner();
    String user = newId("u");
    String token =
        p.write(
            "acc-2", user, fields("email", "bo@example.com", "firstName", "Bo", "lastName", "Ek"));
    p.withToken(token)
        .contentType(ContentType.JSON)
        .body(fields("email", "other@example.com", "firstName", "Mallory", "unknown", 1))
        .post(p.path(userPath("acc-2", user)))
        .then()
        .statusCode(201)
        .body("email", equalTo("bo@example.com"))
        .body("firstName", equalTo("Bo"))
        .body("referralCode", equalTo("BOEK"))
        // Segments are the partner's business, not shown to the user.
        .body("segments", nullValue());
    // No body at all is fine with a write token (a second user, same name: digits appended).
    String second = newId("u");
    p.withToken(p.write("acc-3", second, fields("firstName", "Bo", "lastName", "Ek")))
        .post(p.path(userPath("acc-3", second)))
        .then()
        .statusCode(201)
        .body("referralCode", equalTo("BOEK1"));
  }

  @Test
  void serverOnlyFieldsAreRefusedWithAToken() {
    Partner p = ReferralFixtures.partner();
    String user = newId("u");
    String token = p.write("acc", user, fields("firstName", "Cy"));
    p.withToken(token)
        .contentType(ContentType.JSON)
        .body(fields("referable", true))
        .post(p.path(userPath("acc", user)))
        .then()
        .statusCode(403)
        .body("code", equalTo("SERVER_ONLY_FIELD"))
        .body("apiErrorCode", equalTo("SERVER_ONLY_FIELD"));
    p.withToken(token)
        .contentType(ContentType.JSON)
        .body(fields("segments", List.of("vip")))
        .put(p.path(userPath("acc", user)))
        .then()
        .statusCode(403)
        .body("code", equalTo("SERVER_ONLY_FIELD"));
    // In the token itself too.
    p.withToken(p.write("acc", user, fields("firstName", "Cy", "referable", false)))
        .post(p.path(userPath("acc", user)))
        .then()
        .statusCode(403)
        .body("code", equalTo("SERVER_ONLY_FIELD"));
    // Nothing was created by the refusals.
    p.withKey().get(p.path(userPath("acc", user))).then().statusCode(404);
  }

  @Test
  void aTokenIsValidOnlyForTheUserItNames() {
    Partner p = ReferralFixtures.partner();
    String alice = newId("u");
    String bob = newId("u");
    p.user("acc-a", alice, "Alice", "A", null);
    p.user("acc-b", bob, "Bob", "B", null);

    // A read token of Alice reading Bob: 403, with the Advocate members.
    p.withToken(p.read("acc-a", alice))
        .get(p.path(userPath("acc-b", bob)))
        .then()
        .statusCode(403)
        .body("code", equalTo("TOKEN_USER_MISMATCH"))
        .body("statusCode", equalTo(403))
        .body("apiErrorCode", equalTo("TOKEN_USER_MISMATCH"));
    // Same user id, other account: also not the token's user.
    p.withToken(p.read("acc-a", alice))
        .get(p.path(userPath("acc-b", alice)))
        .then()
        .statusCode(403);
    // A write token of Alice writing Bob.
    p.withToken(p.write("acc-a", alice, fields("firstName", "Alice")))
        .contentType(ContentType.JSON)
        .body("{}")
        .put(p.path(userPath("acc-b", bob)))
        .then()
        .statusCode(403);
    // Creating Bob with Alice's write token.
    p.withToken(p.write("acc-a", alice, fields("firstName", "Alice")))
        .post(p.path(userPath("acc-b", newId("u"))))
        .then()
        .statusCode(403)
        .body("code", equalTo("TOKEN_USER_MISMATCH"));
    // Applying a code for Bob with Alice's write token.
    String code = p.user("acc-c", newId("u"), "Cole", "C", null);
    p.withToken(p.write("acc-a", alice, fields("firstName", "Alice")))
        .post(p.path("code/" + code + "/" + userPath("acc-b", bob)))
        .then()
        .statusCode(403)
        .body("code", equalTo("TOKEN_USER_MISMATCH"));
    // Listing another referrer's referrals.
    p.withToken(p.read("acc-a", alice))
        .get(p.path("referrals?referringAccountId=acc-b&referringUserId=" + bob))
        .then()
        .statusCode(403);
    // Her own user: fine.
    p.withToken(p.read("acc-a", alice))
        .get(p.path(userPath("acc-a", alice)))
        .then()
        .statusCode(200)
        .body("firstName", equalTo("Alice"));
  }

  @Test
  void aReadTokenCannotWriteButAWriteTokenCanRead() {
    Partner p = ReferralFixtures.partner();
    String user = newId("u");
    p.withToken(p.read("acc", user))
        .contentType(ContentType.JSON)
        .body("{}")
        .post(p.path(userPath("acc", user)))
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    String code = p.user("acc-r", newId("u"), "Rex", "R", null);
    p.withToken(p.read("acc", user))
        .post(p.path("code/" + code + "/" + userPath("acc", user)))
        .then()
        .statusCode(403);
    String write = p.write("acc", user, fields("firstName", "Dee", "email", "dee@example.com"));
    p.withToken(write).post(p.path(userPath("acc", user))).then().statusCode(201);
    p.withToken(write).get(p.path(userPath("acc", user))).then().statusCode(200);
    p.withToken(p.read("acc", user))
        .get(p.path(userPath("acc", user)))
        .then()
        .statusCode(200)
        .body("email", equalTo("dee@example.com"));
  }

  @Test
  void tokensNotSignedWithThePartnersKeyAre401() {
    Partner p = ReferralFixtures.partner();
    Partner other = ReferralFixtures.partner();
    String user = newId("u");
    p.user("acc", user, "Eve", "E", null);
    Instant exp = Instant.now().plusSeconds(600);

    // Signed with the partner's API key instead of its client-JWT secret.
    String withApiKey = ReferralFixtures.hs256(p.apiKey(), "acc", user, Map.of(), exp);
    p.withToken(withApiKey)
        .get(p.path(userPath("acc", user)))
        .then()
        .statusCode(401)
        .body("apiErrorCode", equalTo("UNAUTHORIZED"));
    // Signed with another partner's secret.
    String withOthers = ReferralFixtures.hs256(other.secret(), "acc", user, Map.of(), exp);
    p.withToken(withOthers).get(p.path(userPath("acc", user))).then().statusCode(401);
    // ... which is of course fine on that other partner's own path (where the user is unknown).
    other.withToken(withOthers).get(other.path(userPath("acc", user))).then().statusCode(404);
    // A platform token is not a client JWT.
    p.withToken(TestTokens.server(p.id()))
        .get(p.path(userPath("acc", user)))
        .then()
        .statusCode(401);
    p.withToken(TestTokens.user(p.id(), user))
        .get(p.path(userPath("acc", user)))
        .then()
        .statusCode(401);
    // alg none.
    String none =
        ReferralFixtures.sign(
            null, AlgorithmIdentifiers.NONE, ReferralFixtures.claims("acc", user, Map.of(), exp));
    p.withToken(none).get(p.path(userPath("acc", user))).then().statusCode(401);
    // Garbage.
    p.withToken("not.a.jwt").get(p.path(userPath("acc", user))).then().statusCode(401);
    // A token without a user.
    String noUser =
        ReferralFixtures.sign(
            new HmacKey(p.secret().getBytes(StandardCharsets.UTF_8)),
            AlgorithmIdentifiers.HMAC_SHA256,
            new org.jose4j.jwt.JwtClaims());
    p.withToken(noUser).get(p.path(userPath("acc", user))).then().statusCode(401);
  }

  @Test
  void expIsHonouredAndRequiredWhenThePartnerSaysSo() {
    Partner p = ReferralFixtures.partner();
    String user = newId("u");
    p.user("acc", user, "Fay", "F", null);
    String expired =
        ReferralFixtures.hs256(p.secret(), "acc", user, Map.of(), Instant.now().minusSeconds(3600));
    p.withToken(expired).get(p.path(userPath("acc", user))).then().statusCode(401);
    String noExp = ReferralFixtures.hs256(p.secret(), "acc", user, Map.of(), null);
    p.withToken(noExp).get(p.path(userPath("acc", user))).then().statusCode(200);

    p.settings(
        fields(
            "referrerPoints", 100,
            "referredPoints", 50,
            "requireExp", true,
            "flagHourlyThreshold", 0));
    p.withToken(noExp).get(p.path(userPath("acc", user))).then().statusCode(401);
    p.withToken(p.read("acc", user)).get(p.path(userPath("acc", user))).then().statusCode(200);
  }

  @Test
  void es256PartnersSignWithTheirPrivateKey() {
    Partner p = ReferralFixtures.partner();
    KeyPair keys = ReferralFixtures.ecKeyPair();
    p.server()
        .body(fields("algorithm", "ES256", "publicKeyPem", ReferralFixtures.pem(keys.getPublic())))
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(200)
        .body("algorithm", equalTo("ES256"))
        .body("secret", nullValue());
    String user = newId("u");
    Instant exp = Instant.now().plusSeconds(600);
    String es256 =
        ReferralFixtures.sign(
            keys.getPrivate(),
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            ReferralFixtures.claims("acc", user, fields("firstName", "Gus", "lastName", "G"), exp));
    p.withToken(es256)
        .post(p.path(userPath("acc", user)))
        .then()
        .statusCode(201)
        .body("referralCode", equalTo("GUSG"));
    // Another EC key, and the old HS256 secret, no longer verify.
    String otherKey =
        ReferralFixtures.sign(
            ReferralFixtures.ecKeyPair().getPrivate(),
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            ReferralFixtures.claims("acc", user, Map.of(), exp));
    p.withToken(otherKey).get(p.path(userPath("acc", user))).then().statusCode(401);
    p.withToken(p.read("acc", user)).get(p.path(userPath("acc", user))).then().statusCode(401);
  }

  @Test
  void apiKeysAreOnlyTheirPartnersAndTheUsernameIsIgnored() {
    Partner p = ReferralFixtures.partner();
    Partner other = ReferralFixtures.partner();
    String user = newId("u");
    p.user("acc", user, "Hal", "H", null);
    given()
        .header("Authorization", ReferralFixtures.basic(other.apiKey()))
        .get(p.path(userPath("acc", user)))
        .then()
        .statusCode(401);
    given()
        .header("Authorization", ReferralFixtures.basic("rk_wrong"))
        .get(p.path(userPath("acc", user)))
        .then()
        .statusCode(401);
    given()
        .auth()
        .preemptive()
        .basic("whatever-name", p.apiKey())
        .get(p.path(userPath("acc", user)))
        .then()
        .statusCode(200)
        .body("segments", org.hamcrest.Matchers.empty());
  }

  @Test
  void upsertCreatesThenUpdatesOnlyTheFieldsGiven() {
    Partner p = ReferralFixtures.partner();
    String user = newId("u");
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("firstName", "Ida", "lastName", "I", "email", "ida@example.com"))
        .put(p.path(userPath("acc", user)))
        .then()
        .statusCode(201)
        .body("referralCode", equalTo("IDAI"));
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("locale", "fr_FR", "segments", List.of("a", "b")))
        .put(p.path(userPath("acc", user)))
        .then()
        .statusCode(200)
        .body("firstName", equalTo("Ida"))
        .body("email", equalTo("ida@example.com"))
        .body("locale", equalTo("fr_FR"))
        .body("segments", contains("a", "b"));
    // With a write token: the token's fields.
    p.withToken(p.write("acc", user, fields("firstName", "Idaline")))
        .put(p.path(userPath("acc", user)))
        .then()
        .statusCode(200)
        .body("firstName", equalTo("Idaline"))
        .body("referralCode", equalTo("IDAI"));
    // The user is of another account: 409.
    p.withKey()
        .contentType(ContentType.JSON)
        .body("{}")
        .put(p.path(userPath("other-acc", user)))
        .then()
        .statusCode(409)
        .body("code", equalTo("USER_ACCOUNT_MISMATCH"));
    // Invalid fields: 400 with the Advocate members too.
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("email", "not-an-email"))
        .put(p.path(userPath("acc", user)))
        .then()
        .statusCode(400)
        .body("code", equalTo("BAD_REQUEST"))
        .body("statusCode", equalTo(400))
        .body("apiErrorCode", equalTo("BAD_REQUEST"));
  }

  @Test
  void lookupOfAnUnknownUserIs404() {
    Partner p = ReferralFixtures.partner();
    p.withKey()
        .get(p.path(userPath("acc", newId("u"))))
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"))
        .body("statusCode", equalTo(404))
        .body("apiErrorCode", equalTo("RECORD_NOT_FOUND"));
  }
}
