package com.rewards.referral;

import static com.rewards.referral.ReferralFixtures.fields;
import static com.rewards.referral.ReferralFixtures.newId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestTokens;
import com.rewards.referral.ReferralFixtures.Partner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Referral codes: made from the name with digits when taken, case-insensitive, a requested one
 * honoured when free and 409 when taken; the public lookups show the minimal fields only and never
 * another partner's codes.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ReferralCodeTest {

  @Test
  void codesAreMadeFromTheNameWithDigitsWhenTaken() {
    Partner p = ReferralFixtures.partner();
    assertEquals("BOBTESTERSON", p.user("a1", newId("u"), "Bob", "Testerson", null));
    assertEquals("BOBTESTERSON1", p.user("a2", newId("u"), "Bob", "Testerson", null));
    assertEquals("BOBTESTERSON2", p.user("a3", newId("u"), "bob", "testerson", null));
    // Accents and punctuation drop out.
    assertEquals("ZOEANGSTROM", p.user("a4", newId("u"), "Zoë", "Ång-ström", null));
    // Another partner has its own codes.
    Partner other = ReferralFixtures.partner();
    assertEquals("BOBTESTERSON", other.user("a1", newId("u"), "Bob", "Testerson", null));
  }

  @Test
  void lookupsAreCaseInsensitiveAndShowOnlyPublicFields() {
    Partner p = ReferralFixtures.partner();
    String user = newId("u");
    p.user("acc-1", user, "Bob", "Testerson", "bob@example.com");
    p.settings(fields("referrerPoints", 300, "referredPoints", 150, "flagHourlyThreshold", 0));

    given()
        .get(p.path("user?referralCode=bobTesterson"))
        .then()
        .statusCode(200)
        .body("id", equalTo(user))
        .body("accountId", equalTo("acc-1"))
        .body("firstName", equalTo("Bob"))
        .body("lastInitial", equalTo("T"))
        .body("referralCode", equalTo("BOBTESTERSON"))
        .body("$", not(hasKey("email")))
        .body("$", not(hasKey("lastName")));
    given()
        .get(p.path("code/bobtesterson"))
        .then()
        .statusCode(200)
        .body("code", equalTo("BOBTESTERSON"))
        .body("valid", equalTo(true))
        .body("referrerFirstName", equalTo("Bob"))
        .body("reward.referrerPoints", equalTo(300))
        .body("reward.referredPoints", equalTo(150))
        .body("$", not(hasKey("email")));

    // A closed program: the code exists but is not valid.
    p.settings(fields("referrerPoints", 300, "referredPoints", 150, "enabled", false));
    given().get(p.path("code/BOBTESTERSON")).then().statusCode(200).body("valid", equalTo(false));
  }

  @Test
  void aCodeOfAnotherTenantIsNotFound() {
    Partner p = ReferralFixtures.partner();
    Partner other = ReferralFixtures.partner();
    String code = other.user("acc", newId("u"), "Cara", "Otherpartner", null);
    given()
        .get(p.path("code/" + code))
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"))
        .body("statusCode", equalTo(404))
        .body("apiErrorCode", equalTo("RECORD_NOT_FOUND"));
    given().get(p.path("user?referralCode=" + code)).then().statusCode(404);
    String user = newId("u");
    p.user("acc", user, "Dan", "D", null);
    p.apply(code, "acc", user)
        .statusCode(404)
        .body("code", equalTo("CODE_INVALID"))
        .body("apiErrorCode", equalTo("CODE_INVALID"));
    given().get(p.path("code/no-such-code")).then().statusCode(404);
    given().get(p.path("code/%20")).then().statusCode(404);
  }

  @Test
  void aRequestedCodeIsHonouredWhenFreeAnd409WhenTaken() {
    Partner p = ReferralFixtures.partner();
    String first = newId("u");
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("firstName", "Eli", "referralCode", "Summer-Eli"))
        .post(p.path("account/acc/user/" + first))
        .then()
        .statusCode(201)
        .body("referralCode", equalTo("SUMMER-ELI"));
    // Taken, in any case.
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("firstName", "Eli", "referralCode", "summer-eli"))
        .post(p.path("account/acc2/user/" + newId("u")))
        .then()
        .statusCode(409)
        .body("code", equalTo("REFERRAL_CODE_TAKEN"))
        .body("statusCode", equalTo(409))
        .body("apiErrorCode", equalTo("REFERRAL_CODE_TAKEN"))
        .body("message", equalTo("This referral code belongs to another user."));
    // From a write token: same rules.
    String second = newId("u");
    p.withToken(p.write("acc3", second, fields("firstName", "Flo", "referralCode", "SUMMER-ELI")))
        .post(p.path("account/acc3/user/" + second))
        .then()
        .statusCode(409)
        .body("code", equalTo("REFERRAL_CODE_TAKEN"));
    p.withToken(p.write("acc3", second, fields("firstName", "Flo", "referralCode", "FloRocks")))
        .post(p.path("account/acc3/user/" + second))
        .then()
        .statusCode(201)
        .body("referralCode", equalTo("FLOROCKS"));
    // Changing one's code to a taken one: 409; to a free one: fine.
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("referralCode", "summer-eli"))
        .put(p.path("account/acc3/user/" + second))
        .then()
        .statusCode(409);
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("referralCode", "flo-2"))
        .put(p.path("account/acc3/user/" + second))
        .then()
        .statusCode(200)
        .body("referralCode", equalTo("FLO-2"));
    given().get(p.path("user?referralCode=flo-2")).then().statusCode(200);
    // Not a code at all.
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("referralCode", "no spaces!"))
        .post(p.path("account/acc4/user/" + newId("u")))
        .then()
        .statusCode(400);
  }
}
