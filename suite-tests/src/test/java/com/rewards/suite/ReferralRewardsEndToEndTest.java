package com.rewards.suite;

import static com.rewards.suite.Partner.asUser;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Issue 6 end to end, across two services and Kafka: a referral applied in referral-service
 * converts when loyalty-service reports the referred user's first earn, and loyalty-service credits
 * both users exactly once, even when the conversion event is delivered again.
 */
class ReferralRewardsEndToEndTest {
  private static final int REFERRER_POINTS = 500;
  private static final int REFERRED_POINTS = 250;
  private static final int EARN = 10;

  @Test
  void theReferredUsersFirstEarnConvertsTheReferralAndBothAreCreditedOnce() throws Exception {
    Partner p = Partner.create();
    p.server()
        .body("{\"name\":\"Suite program\",\"points_name\":\"points\",\"pending_days\":0}")
        .put("/manage/v1/program")
        .then()
        .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    p.server()
        .body(
            "{\"code\":\"open-app\",\"name\":\"Open the app\",\"points\":"
                + EARN
                + ",\"active\":true}")
        .post("/manage/v1/actions")
        .then()
        .statusCode(201);
    p.server()
        .body(
            "{\"referrerPoints\":"
                + REFERRER_POINTS
                + ",\"referredPoints\":"
                + REFERRED_POINTS
                + ",\"conversionTrigger\":\"points_earned\",\"enabled\":true}")
        .put("/manage/v1/referral/program")
        .then()
        .statusCode(200);
    String key =
        p.server()
            .body("{\"name\":\"suite\"}")
            .post("/manage/v1/referral/api-keys")
            .then()
            .statusCode(201)
            .extract()
            .path("key");

    String referrer = Suite.unique("rita");
    String friend = Suite.unique("fred");
    String code =
        withKey(key)
            .body("{\"firstName\":\"Rita\",\"lastName\":\"Referrer\"}")
            .put(open(p, "account/acc-r/user/" + referrer))
            .then()
            .statusCode(201)
            .extract()
            .path("referralCode");
    withKey(key)
        .body("{\"firstName\":\"Fred\",\"lastName\":\"Friend\"}")
        .put(open(p, "account/acc-f/user/" + friend))
        .then()
        .statusCode(201);
    String referralId =
        withKey(key)
            .post(open(p, "code/" + code + "/account/acc-f/user/" + friend))
            .then()
            .statusCode(201)
            .body("state", equalTo("PENDING"))
            .extract()
            .path("id");

    String friendToken = p.userToken(friend);
    earn(friendToken);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                p.server()
                    .get("/manage/v1/referral/referrals/" + referralId)
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("CONVERTED"))
                    .body("conversion_trigger", equalTo("points_earned")));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertEquals(REFERRER_POINTS, balance(p, referrer));
              assertEquals(EARN + REFERRED_POINTS, balance(p, friend));
            });

    // The friend's next earn is not a first one: no second conversion, no second reward.
    earn(friendToken);
    List<ConsumerRecord<String, String>> conversions =
        Topics.readFromStart(
            "referral.referrals.v1",
            r ->
                r.value().contains("\"referral.referral.converted.v1\"")
                    && r.value().contains(referralId),
            Duration.ofSeconds(10));
    assertEquals(1, conversions.size(), "one ReferralConverted for the referral");

    // Kafka delivers at least once: the same event again must not credit again.
    RecordMetadata replay;
    try (var producer = Topics.producer()) {
      ConsumerRecord<String, String> converted = conversions.get(0);
      replay =
          producer
              .send(new ProducerRecord<>(converted.topic(), converted.key(), converted.value()))
              .get();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Topics.consumedPast("loyalty-service.referrals", replay));
    assertEquals(REFERRER_POINTS, balance(p, referrer));
    assertEquals(2 * EARN + REFERRED_POINTS, balance(p, friend));
  }

  private static void earn(String userToken) {
    asUser(userToken)
        .body("{\"action_code\":\"open-app\"}")
        .post("/generosity/store")
        .then()
        .statusCode(200)
        .body("data.points", equalTo(EARN));
  }

  static int balance(Partner p, String userId) {
    var answer = p.server().get("/user/info?user_id=" + userId).then().extract();
    if (answer.statusCode() == 404) {
      return 0;
    }
    assertEquals(200, answer.statusCode(), answer.asString());
    return answer.path("data.balance");
  }

  private static String open(Partner p, String path) {
    return "/api/v1/" + p.clientId() + "/open/" + path;
  }

  /** Document 001's API key: HTTP Basic with the key as the password. */
  static RequestSpecification withKey(String key) {
    String basic =
        Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
    return Suite.gateway().header("Authorization", "Basic " + basic);
  }
}
