package com.rewards.referral;

import static com.rewards.referral.ReferralFixtures.fields;
import static com.rewards.referral.ReferralFixtures.newId;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.platform.testing.TestTokens;
import com.rewards.referral.ReferralFixtures.Partner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Applying codes and what follows: the refusals with their machine-readable codes, flags and
 * moderation, conversion by hand, listing with totals, and one referral per user under concurrency.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ReferralLifecycleTest {
  @Inject AgroalDataSource db;

  @Test
  void applyingACodeMakesAPendingReferralAndReapplyingItAnswersTheSame() {
    Partner p = ReferralFixtures.partner();
    String referrer = newId("u");
    String code = p.user("acc-r", referrer, "Rita", "Referrer", "rita@example.com");
    String friend = newId("u");
    p.user("acc-f", friend, "Fred", "Friend", "fred@example.com");

    String id =
        p.apply(code.toLowerCase(), "acc-f", friend)
            .statusCode(201)
            .body("state", equalTo("PENDING"))
            .body("referralCode", equalTo(code))
            .body("referrerUser.id", equalTo(referrer))
            .body("referrerUser.firstName", equalTo("Rita"))
            .body("referrerUser.lastInitial", equalTo("R"))
            .body("referredUser.id", equalTo(friend))
            .body("$", not(hasKey("reasons")))
            .extract()
            .path("id");
    p.apply(code, "acc-f", friend).statusCode(200).body("id", equalTo(id));

    // With a write token the referred user is created from the token on the way.
    String newcomer = newId("u");
    String token =
        p.write("acc-n", newcomer, fields("firstName", "Nia", "email", "nia@example.com"));
    p.withToken(token)
        .post(p.path("code/" + code + "/account/acc-n/user/" + newcomer))
        .then()
        .statusCode(201)
        .body("state", equalTo("PENDING"))
        .body("referredUser.firstName", equalTo("Nia"));
    p.withKey()
        .get(p.path("account/acc-n/user/" + newcomer))
        .then()
        .statusCode(200)
        .body("referralCode", equalTo("NIA"));
    // A token of someone else cannot apply for the newcomer; an unknown user with the key: 404.
    p.withToken(p.write("acc-x", "x", fields("firstName", "X")))
        .post(p.path("code/" + code + "/account/acc-n/user/" + newcomer))
        .then()
        .statusCode(403);
    p.apply(code, "acc-z", newId("u")).statusCode(404).body("code", equalTo("RECORD_NOT_FOUND"));
  }

  @Test
  void anIdempotencyKeyReplaysTheFirstAnswerRefusalsIncluded() {
    Partner p = ReferralFixtures.partner();
    String user = newId("u");
    String first =
        p.withKey()
            .header("Idempotency-Key", "create-1")
            .contentType(ContentType.JSON)
            .body(fields("firstName", "Ivy", "lastName", "Idem"))
            .post(p.path("account/acc/user/" + user))
            .then()
            .statusCode(201)
            .extract()
            .asString();
    String replay =
        p.withKey()
            .header("Idempotency-Key", "create-1")
            .contentType(ContentType.JSON)
            .body(fields("firstName", "Ivy", "lastName", "Idem"))
            .post(p.path("account/acc/user/" + user))
            .then()
            .statusCode(201)
            .extract()
            .asString();
    assertEquals(first, replay);
    p.withKey()
        .header("Idempotency-Key", "create-1")
        .contentType(ContentType.JSON)
        .body(fields("firstName", "Other"))
        .post(p.path("account/acc/user/" + user))
        .then()
        .statusCode(409)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));

    // A refusal is replayed as the same refusal.
    String code = p.user("acc", newId("u"), "Sib", "Ling", null);
    for (int i = 0; i < 2; i++) {
      p.withKey()
          .header("Idempotency-Key", "apply-1")
          .post(p.path("code/" + code + "/account/acc/user/" + user))
          .then()
          .statusCode(409)
          .body("code", equalTo("SELF_REFERRAL"));
    }
    String friend = newId("u");
    p.user("acc-f", friend, "Fox", "F", null);
    String applied =
        p.withKey()
            .header("Idempotency-Key", "apply-2")
            .post(p.path("code/" + code + "/account/acc-f/user/" + friend))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    p.withKey()
        .header("Idempotency-Key", "apply-2")
        .post(p.path("code/" + code + "/account/acc-f/user/" + friend))
        .then()
        .statusCode(201)
        .body("id", equalTo(applied))
        .body("referrerUser.firstName", equalTo("Sib"));
  }

  @Test
  void selfReferralIsRefusedForTheSameUserAccountOrEmail() {
    Partner p = ReferralFixtures.partner();
    String referrer = newId("u");
    String code = p.user("acc-1", referrer, "Sam", "Self", "Sam@Example.com");

    p.apply(code, "acc-1", referrer)
        .statusCode(409)
        .body("code", equalTo("SELF_REFERRAL"))
        .body("apiErrorCode", equalTo("SELF_REFERRAL"))
        .body("statusCode", equalTo(409));
    String sameAccount = newId("u");
    p.user("acc-1", sameAccount, "Sue", "Self", "sue@example.com");
    p.apply(code, "acc-1", sameAccount).statusCode(409).body("code", equalTo("SELF_REFERRAL"));
    String sameEmail = newId("u");
    p.user("acc-2", sameEmail, "Sammy", "Other", "sam@example.com");
    p.apply(code, "acc-2", sameEmail).statusCode(409).body("code", equalTo("SELF_REFERRAL"));
  }

  @Test
  void aUserIsReferredOnceAndNotReferableUsersNever() {
    Partner p = ReferralFixtures.partner();
    String codeA = p.user("acc-a", newId("u"), "Amy", "A", null);
    String codeB = p.user("acc-b", newId("u"), "Ben", "B", null);
    String friend = newId("u");
    p.user("acc-f", friend, "Fay", "F", null);
    p.apply(codeA, "acc-f", friend).statusCode(201);
    p.apply(codeB, "acc-f", friend)
        .statusCode(409)
        .body("code", equalTo("ALREADY_REFERRED"))
        .body("apiErrorCode", equalTo("ALREADY_REFERRED"));

    String existingCustomer = newId("u");
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("firstName", "Old", "referable", false))
        .post(p.path("account/acc-o/user/" + existingCustomer))
        .then()
        .statusCode(201);
    p.apply(codeA, "acc-o", existingCustomer)
        .statusCode(409)
        .body("code", equalTo("NOT_REFERABLE"));
  }

  @Test
  void aReferrerOverTheVelocityLimitIsRefused() {
    Partner p =
        ReferralFixtures.partner(
            fields(
                "referrerPoints", 10,
                "referredPoints", 10,
                "velocityLimitPerDay", 2,
                "flagHourlyThreshold", 0));
    String code = p.user("acc-r", newId("u"), "Vic", "Velocity", null);
    for (int i = 0; i < 2; i++) {
      String friend = newId("u");
      p.user("acc-" + i, friend, "F" + i, "F", null);
      p.apply(code, "acc-" + i, friend).statusCode(201);
    }
    String third = newId("u");
    p.user("acc-3", third, "Third", "F", null);
    p.apply(code, "acc-3", third)
        .statusCode(409)
        .body("code", equalTo("VELOCITY_LIMIT"))
        .body("apiErrorCode", equalTo("VELOCITY_LIMIT"));
  }

  @Test
  void rapidReferralsAreFlaggedNotRefused() {
    Partner p =
        ReferralFixtures.partner(
            fields("referrerPoints", 10, "referredPoints", 10, "flagHourlyThreshold", 2));
    String code = p.user("acc-r", newId("u"), "Rae", "Rapid", null);
    List<String> states = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String friend = newId("u");
      p.user("acc-" + i, friend, "F" + i, "F", null);
      states.add(p.apply(code, "acc-" + i, friend).statusCode(201).extract().path("state"));
    }
    assertEquals(List.of("PENDING", "PENDING", "FLAGGED"), states);
  }

  @Test
  void aFlaggedReferralIsApprovedOrDenied() {
    Partner p = ReferralFixtures.partner();
    String code = p.user("acc-r", newId("u"), "Gil", "Gmail", "gil.bert@gmail.com");
    // The same Gmail mailbox under another spelling: suspicious, flagged for moderation.
    String alias = newId("u");
    p.user("acc-a", alias, "Gil", "Alias", "Gilbert+promo@googlemail.com");
    String flagged =
        p.apply(code, "acc-a", alias)
            .statusCode(201)
            .body("state", equalTo("FLAGGED"))
            .extract()
            .path("id");
    p.server()
        .get("/manage/v1/referral/referrals/" + flagged)
        .then()
        .statusCode(200)
        .body("state", equalTo("FLAGGED"))
        .body("reasons", contains("SIMILAR_EMAIL"));
    p.server()
        .get("/manage/v1/referral/referrals?state=FLAGGED")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("referrals[0].id", equalTo(flagged));
    p.server()
        .body(fields("note", "checked by support"))
        .post("/manage/v1/referral/referrals/" + flagged + "/approve")
        .then()
        .statusCode(200)
        .body("state", equalTo("PENDING"))
        .body("note", equalTo("checked by support"));
    p.server()
        .post("/manage/v1/referral/referrals/" + flagged + "/approve")
        .then()
        .statusCode(409)
        .body("code", equalTo("REFERRAL_NOT_FLAGGED"));

    // A throwaway mailbox: flagged, then denied; a denied referral is final.
    String throwaway = newId("u");
    p.user("acc-t", throwaway, "Tom", "T", "tom@mailinator.com");
    String denied =
        p.apply(code, "acc-t", throwaway)
            .statusCode(201)
            .body("state", equalTo("FLAGGED"))
            .extract()
            .path("id");
    p.withKey()
        .contentType(ContentType.JSON)
        .body(fields("note", "fraud"))
        .post("/manage/v1/referral/referrals/" + denied + "/deny")
        .then()
        .statusCode(200)
        .body("state", equalTo("DENIED"))
        .body("reasons", contains("DISPOSABLE_EMAIL"));
    p.server()
        .post("/manage/v1/referral/referrals/" + denied + "/convert")
        .then()
        .statusCode(409)
        .body("code", equalTo("REFERRAL_DENIED"));
    p.server()
        .post("/manage/v1/referral/referrals/" + denied + "/deny")
        .then()
        .statusCode(409)
        .body("code", equalTo("REFERRAL_CLOSED"));
    // The denied user stays referred (by that referral): another code is refused.
    String other = p.user("acc-o", newId("u"), "Oz", "O", null);
    p.apply(other, "acc-t", throwaway).statusCode(409).body("code", equalTo("ALREADY_REFERRED"));
  }

  @Test
  void aCircularReferralIsFlagged() {
    Partner p = ReferralFixtures.partner();
    String a = newId("u");
    String b = newId("u");
    String codeA = p.user("acc-a", a, "Ada", "A", null);
    String codeB = p.user("acc-b", b, "Bea", "B", null);
    p.apply(codeA, "acc-b", b).statusCode(201).body("state", equalTo("PENDING"));
    String back =
        p.apply(codeB, "acc-a", a)
            .statusCode(201)
            .body("state", equalTo("FLAGGED"))
            .extract()
            .path("id");
    p.server()
        .get("/manage/v1/referral/referrals/" + back)
        .then()
        .body("reasons", contains("CIRCULAR_REFERRAL"));
  }

  @Test
  void aPartnerConvertsByHandOnce() {
    Partner p =
        ReferralFixtures.partner(
            fields(
                "referrerPoints", 250,
                "referredPoints", 75,
                "conversionTrigger", "manual",
                "flagHourlyThreshold", 0));
    String code = p.user("acc-r", newId("u"), "Hank", "Hand", null);
    String friend = newId("u");
    p.user("acc-f", friend, "Fin", "F", null);
    String id = p.apply(code, "acc-f", friend).statusCode(201).extract().path("id");
    p.server()
        .header("Idempotency-Key", "convert-" + id)
        .post("/manage/v1/referral/referrals/" + id + "/convert")
        .then()
        .statusCode(200)
        .body("state", equalTo("CONVERTED"))
        .body("referrer_points", equalTo(250))
        .body("referred_points", equalTo(75))
        .body("conversion_trigger", equalTo("manual"));
    // A retry with the same key answers the same; without it, the second conversion is refused.
    p.server()
        .header("Idempotency-Key", "convert-" + id)
        .post("/manage/v1/referral/referrals/" + id + "/convert")
        .then()
        .statusCode(200)
        .body("state", equalTo("CONVERTED"));
    p.withKey()
        .post("/manage/v1/referral/referrals/" + id + "/convert")
        .then()
        .statusCode(409)
        .body("code", equalTo("REFERRAL_ALREADY_CONVERTED"));
    p.withKey()
        .get(p.path("referrals"))
        .then()
        .statusCode(200)
        .body("referrals[0].state", equalTo("CONVERTED"));
    // Another partner's referral id is not found.
    ReferralFixtures.partner()
        .server()
        .post("/manage/v1/referral/referrals/" + id + "/convert")
        .then()
        .statusCode(404);
  }

  @Test
  void referralsAreListedWithTheirTotal() {
    Partner p = ReferralFixtures.partner();
    String referrer = newId("u");
    String code = p.user("acc-r", referrer, "Lou", "List", null);
    List<String> friends = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String friend = newId("u");
      friends.add(friend);
      p.user("acc-" + i, friend, "Friend" + i, "Surname", "f" + i + "@example.com");
      p.apply(code, "acc-" + i, friend).statusCode(201);
    }
    // Someone else's referral, which the referrer must not see.
    String otherCode = p.user("acc-x", newId("u"), "Xena", "X", null);
    String stranger = newId("u");
    p.user("acc-s", stranger, "Stan", "S", null);
    p.apply(otherCode, "acc-s", stranger).statusCode(201);

    String token = p.read("acc-r", referrer);
    p.withToken(token)
        .get(p.path("referrals?limit=2"))
        .then()
        .statusCode(200)
        .body("totalCount", equalTo(3))
        .body("count", equalTo(2))
        .body("referrals.referredUser.firstName", containsInAnyOrder("Friend2", "Friend1"))
        .body("referrals.referredUser.lastInitial", contains("S", "S"))
        .body("referrals[0]", not(hasKey("reasons")))
        .body("referrals[0].referredUser", not(hasKey("email")));
    p.withToken(token)
        .get(p.path("referrals?limit=2&offset=2&referringUserId=" + referrer))
        .then()
        .statusCode(200)
        .body("totalCount", equalTo(3))
        .body("count", equalTo(1))
        .body("referrals[0].referredUser.id", equalTo(friends.get(0)));
    p.withKey()
        .get(p.path("referrals?referringAccountId=acc-r&referringUserId=" + referrer))
        .then()
        .statusCode(200)
        .body("totalCount", equalTo(3));
    p.withKey().get(p.path("referrals")).then().statusCode(200).body("totalCount", equalTo(4));
    p.withKey().get(p.path("referrals?limit=0")).then().statusCode(400);
  }

  @Test
  void theSameUserApplyingTwoCodesAtOnceGetsOneReferral() throws Exception {
    Partner p = ReferralFixtures.partner();
    String codeA = p.user("acc-a", newId("u"), "Ari", "A", null);
    String codeB = p.user("acc-b", newId("u"), "Bo", "B", null);
    String friend = newId("u");
    p.user("acc-f", friend, "Cat", "C", null);

    int attempts = 12;
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int i = 0; i < attempts; i++) {
        String code = i % 2 == 0 ? codeA : codeB;
        Callable<Integer> apply =
            () -> {
              start.await();
              return p.apply(code, "acc-f", friend).extract().statusCode();
            };
        results.add(pool.submit(apply));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : results) {
        statuses.add(f.get());
      }
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
      assertTrue(
          statuses.stream().allMatch(s -> s == 201 || s == 200 || s == 409), statuses.toString());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(
        1,
        count(
            "select count(*) from referrals where client_id = ? and referred_user_id = ?",
            p.id(),
            friend));
  }

  private long count(String sql, Object... args) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
