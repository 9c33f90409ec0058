package com.rewards.suite;

import static com.rewards.suite.Partner.asUser;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
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
    Partner p = Fixtures.partner();
    Fixtures.program(p);
    Fixtures.action(p, "open-app", EARN);
    Fixtures.referralProgram(
        p,
        "{\"referrerPoints\":"
            + REFERRER_POINTS
            + ",\"referredPoints\":"
            + REFERRED_POINTS
            + ",\"conversionTrigger\":\"points_earned\",\"enabled\":true}");
    String key = Fixtures.apiKey(p);

    String referrer = Suite.unique("rita");
    String friend = Suite.unique("fred");
    String code =
        Fixtures.withKey(key)
            .body("{\"firstName\":\"Rita\",\"lastName\":\"Referrer\"}")
            .put(Fixtures.open(p, "account/acc-r/user/" + referrer))
            .then()
            .statusCode(201)
            .extract()
            .path("referralCode");
    Fixtures.withKey(key)
        .body("{\"firstName\":\"Fred\",\"lastName\":\"Friend\"}")
        .put(Fixtures.open(p, "account/acc-f/user/" + friend))
        .then()
        .statusCode(201);
    String referralId =
        Fixtures.withKey(key)
            .post(Fixtures.open(p, "code/" + code + "/account/acc-f/user/" + friend))
            .then()
            .statusCode(201)
            .body("state", equalTo("PENDING"))
            .extract()
            .path("id");

    String friendToken = Fixtures.userToken(p, friend);
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
              assertEquals(REFERRER_POINTS, Fixtures.balance(p, referrer));
              assertEquals(EARN + REFERRED_POINTS, Fixtures.balance(p, friend));
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
    assertEquals(REFERRER_POINTS, Fixtures.balance(p, referrer));
    assertEquals(2 * EARN + REFERRED_POINTS, Fixtures.balance(p, friend));
  }

  private static void earn(String userToken) {
    asUser(userToken)
        .body("{\"action_code\":\"open-app\"}")
        .post("/generosity/store")
        .then()
        .statusCode(200)
        .body("data.points", equalTo(EARN));
  }
}
