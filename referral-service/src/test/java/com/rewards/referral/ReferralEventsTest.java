package com.rewards.referral;

import static com.rewards.referral.ReferralFixtures.fields;
import static com.rewards.referral.ReferralFixtures.newId;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.rewards.platform.event.UserErasures;
import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import com.rewards.referral.ReferralFixtures.Partner;
import com.rewards.referral.event.ReferralEvents;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every decision is an event on referral.referrals.v1 matching its schema; qualifying events from
 * loyalty and payments convert referrals once (never a referral's own points); a deleted user's
 * personal data goes while their referrals stay, anonymous.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ReferralEventsTest {
  private static final String TOPIC = "referral.referrals.v1";
  private static final String LEDGER = "loyalty.ledger.v1";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Inject AgroalDataSource db;

  // Other tests put records that are not JSON on the topic on purpose; they are skipped here.
  private static JsonNode json(ConsumerRecord<String, String> record) {
    try {
      return MAPPER.readTree(record.value());
    } catch (Exception e) {
      return MissingNode.getInstance();
    }
  }

  private static Predicate<ConsumerRecord<String, String>> ofPartner(String clientId) {
    return r -> clientId.equals(json(r).path("partnerid").asText());
  }

  private static Predicate<ConsumerRecord<String, String>> converted(String referralId) {
    return r -> {
      JsonNode e = json(r);
      return e.path("type").asText().equals("referral.referral.converted.v1")
          && e.path("data").path("referral_id").asText().equals(referralId);
    };
  }

  private static String state(Partner p, String referralId) {
    return p.server()
        .get("/manage/v1/referral/referrals/" + referralId)
        .then()
        .statusCode(200)
        .extract()
        .path("state");
  }

  @Test
  void everyDecisionIsAnEventMatchingItsSchema() {
    Partner p =
        ReferralFixtures.partner(
            fields(
                "referrerPoints", 120,
                "referredPoints", 60,
                "conversionTrigger", "manual",
                "flagHourlyThreshold", 0));
    try (TopicReader reader = new TopicReader(TOPIC)) {
      String referrer = newId("u");
      String code = p.user("acc-r", referrer, "Eva", "Events", "eva.events@gmail.com");
      String f1 = newId("u");
      p.user("acc-1", f1, "One", "F", null);
      String r1 = p.apply(code, "acc-1", f1).statusCode(201).extract().path("id");
      p.server().post("/manage/v1/referral/referrals/" + r1 + "/convert").then().statusCode(200);
      String f2 = newId("u");
      p.user("acc-2", f2, "Two", "F", "evaevents+2@gmail.com");
      String r2 = p.apply(code, "acc-2", f2).statusCode(201).extract().path("id");
      p.server().post("/manage/v1/referral/referrals/" + r2 + "/approve").then().statusCode(200);
      String f3 = newId("u");
      p.user("acc-3", f3, "Three", "F", "three@yopmail.com");
      String r3 = p.apply(code, "acc-3", f3).statusCode(201).extract().path("id");
      p.server().post("/manage/v1/referral/referrals/" + r3 + "/deny").then().statusCode(200);
      p.apply(code, "acc-r", referrer).statusCode(409);

      // 4 users, 3 applied, 2 flagged, 1 approved, 1 converted, 2 denied (partner, rules).
      List<ConsumerRecord<String, String>> events = reader.await(ofPartner(p.id()), 13, WAIT);
      assertEquals(13, events.size(), events.toString());
      Map<String, Long> byType =
          events.stream()
              .collect(
                  Collectors.groupingBy(
                      r -> TopicReader.json(r).path("type").asText(), Collectors.counting()));
      assertEquals(
          Map.of(
              "referral.participant.created.v1", 4L,
              "referral.referral.applied.v1", 3L,
              "referral.referral.flagged.v1", 2L,
              "referral.referral.approved.v1", 1L,
              "referral.referral.converted.v1", 1L,
              "referral.referral.denied.v1", 2L),
          byType);
      for (ConsumerRecord<String, String> record : events) {
        EventSchemas.assertValid(record.value());
        JsonNode event = TopicReader.json(record);
        assertEquals(event.path("subject").asText(), record.key());
        assertTrue(record.key().startsWith(p.id() + "___"), record.key());
      }

      JsonNode converted = only(events, "referral.referral.converted.v1").path("data");
      assertEquals(p.id(), converted.path("client_id").asText());
      assertEquals(r1, converted.path("referral_id").asText());
      assertEquals(referrer, converted.path("referrer_user_id").asText());
      assertEquals(f1, converted.path("referred_user_id").asText());
      assertEquals(120, converted.path("referrer_points").asLong());
      assertEquals(60, converted.path("referred_points").asLong());
      assertEquals("manual", converted.path("trigger").asText());

      JsonNode flagged = only(events, "referral.referral.flagged.v1", r2).path("data");
      assertEquals("SIMILAR_EMAIL", flagged.path("reasons").get(0).asText());
      List<JsonNode> denials =
          events.stream()
              .map(TopicReader::json)
              .filter(e -> e.path("type").asText().equals("referral.referral.denied.v1"))
              .map(e -> e.path("data"))
              .toList();
      assertTrue(
          denials.stream()
              .anyMatch(
                  d ->
                      d.path("decided_by").asText().equals("rules")
                          && d.path("reasons").get(0).asText().equals("SELF_REFERRAL")
                          && !d.has("referral_id")));
      assertTrue(
          denials.stream()
              .anyMatch(
                  d ->
                      d.path("decided_by").asText().equals("partner")
                          && d.path("referral_id").asText().equals(r3)
                          && d.path("state").asText().equals("DENIED")));
      // No personal data on the topic.
      assertTrue(events.stream().noneMatch(r -> r.value().contains("eva.events@gmail.com")));
      assertTrue(events.stream().noneMatch(r -> r.value().contains("Events")));
    }
  }

  private static JsonNode only(List<ConsumerRecord<String, String>> events, String type) {
    List<JsonNode> found =
        events.stream()
            .map(TopicReader::json)
            .filter(e -> e.path("type").asText().equals(type))
            .toList();
    assertEquals(1, found.size(), type);
    return found.get(0);
  }

  private static JsonNode only(
      List<ConsumerRecord<String, String>> events, String type, String referralId) {
    return events.stream()
        .map(TopicReader::json)
        .filter(
            e ->
                e.path("type").asText().equals(type)
                    && e.path("data").path("referral_id").asText().equals(referralId))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void pointsEarnedConvertsOnceButPointsFromAReferralNever() {
    Partner p = ReferralFixtures.partner();
    String code = p.user("acc-r", newId("u"), "Lee", "Ledger", null);
    String x = newId("u");
    p.user("acc-x", x, "Xavi", "X", null);
    String rx = p.apply(code, "acc-x", x).statusCode(201).extract().path("id");
    String z = newId("u");
    p.user("acc-z", z, "Zed", "Z", null);
    String rz = p.apply(code, "acc-z", z).statusCode(201).extract().path("id");

    try (TopicReader reader = new TopicReader(TOPIC)) {
      // X's points from a referral, then (same key, so same partition, in order) Z's real earn.
      String key = p.id() + "___" + x;
      ReferralFixtures.publish(
          LEDGER, key, ReferralFixtures.pointsEarned(uuid(), p.id(), x, "referral"));
      ReferralFixtures.publish(
          LEDGER, key, ReferralFixtures.pointsEarned(uuid(), p.id(), z, "action"));
      await().atMost(WAIT).until(() -> state(p, rz).equals("CONVERTED"));
      assertEquals("PENDING", state(p, rx));

      // X's first real earn converts; its redelivery and a second earn change nothing.
      String earn = ReferralFixtures.pointsEarned(uuid(), p.id(), x, "action");
      ReferralFixtures.publish(LEDGER, key, earn);
      ReferralFixtures.publish(LEDGER, key, earn);
      ReferralFixtures.publish(
          LEDGER, key, ReferralFixtures.pointsEarned(uuid(), p.id(), x, "action"));
      await().atMost(WAIT).until(() -> state(p, rx).equals("CONVERTED"));

      Predicate<ConsumerRecord<String, String>> convertedX = converted(rx);
      List<ConsumerRecord<String, String>> conversions =
          reader.drain(convertedX, Duration.ofSeconds(3));
      assertEquals(1, conversions.size());
      EventSchemas.assertValid(conversions.get(0).value());
      JsonNode data = TopicReader.json(conversions.get(0)).path("data");
      assertEquals("points_earned", data.path("trigger").asText());
      assertEquals(100, data.path("referrer_points").asLong());
      assertEquals(50, data.path("referred_points").asLong());
      assertEquals(p.id() + "___" + x, conversions.get(0).key());
    }
  }

  @Test
  void aSuccessfulChargeConvertsWhenThatIsTheTrigger() {
    Partner p =
        ReferralFixtures.partner(
            fields(
                "referrerPoints", 10,
                "referredPoints", 5,
                "conversionTrigger", "payment",
                "flagHourlyThreshold", 0));
    Partner marker = ReferralFixtures.partner();
    String code = p.user("acc-r", newId("u"), "Pay", "Pal", null);
    String x = newId("u");
    p.user("acc-x", x, "Xi", "X", null);
    String rx = p.apply(code, "acc-x", x).statusCode(201).extract().path("id");
    String markerCode = marker.user("acc-m", newId("u"), "Mo", "M", null);
    String m = newId("u");
    marker.user("acc-n", m, "Ned", "N", null);
    String rm = marker.apply(markerCode, "acc-n", m).statusCode(201).extract().path("id");

    // Points earned are not this partner's trigger; the marker partner's earn comes after.
    String key = p.id() + "___" + x;
    ReferralFixtures.publish(
        LEDGER, key, ReferralFixtures.pointsEarned(uuid(), p.id(), x, "action"));
    ReferralFixtures.publish(
        LEDGER, key, ReferralFixtures.pointsEarned(uuid(), marker.id(), m, "action"));
    await().atMost(WAIT).until(() -> state(marker, rm).equals("CONVERTED"));
    assertEquals("PENDING", state(p, rx));

    ReferralFixtures.publish(
        "payment.payments.v1", key, ReferralFixtures.chargeSucceeded(uuid(), p.id(), x));
    await().atMost(WAIT).until(() -> state(p, rx).equals("CONVERTED"));
    p.server()
        .get("/manage/v1/referral/referrals/" + rx)
        .then()
        .body("conversion_trigger", equalTo("payment"))
        .body("referrer_points", equalTo(10));
  }

  @Test
  void aFlaggedReferralKeepsItsQualifyingEventForItsApproval() {
    Partner p = ReferralFixtures.partner();
    String code = p.user("acc-r", newId("u"), "Flo", "Flag", "flo@example.com");
    String f = newId("u");
    p.user("acc-f", f, "Fen", "F", "fen@mailinator.com");
    String rf = p.apply(code, "acc-f", f).statusCode(201).extract().path("id");
    assertEquals("FLAGGED", state(p, rf));
    String z = newId("u");
    p.user("acc-z", z, "Zoe", "Z", null);
    String rz = p.apply(code, "acc-z", z).statusCode(201).extract().path("id");

    String key = p.id() + "___" + f;
    ReferralFixtures.publish(
        LEDGER, key, ReferralFixtures.pointsEarned(uuid(), p.id(), f, "action"));
    ReferralFixtures.publish(
        LEDGER, key, ReferralFixtures.pointsEarned(uuid(), p.id(), z, "action"));
    await().atMost(WAIT).until(() -> state(p, rz).equals("CONVERTED"));
    p.server()
        .get("/manage/v1/referral/referrals/" + rf)
        .then()
        .body("state", equalTo("FLAGGED"))
        .body("qualified_at", notNullValue());

    p.server()
        .post("/manage/v1/referral/referrals/" + rf + "/approve")
        .then()
        .statusCode(200)
        .body("state", equalTo("CONVERTED"))
        .body("conversion_trigger", equalTo("points_earned"));
  }

  @Test
  void userDeletedRemovesPersonalDataAndKeepsReferralsAnonymous() throws Exception {
    Partner p =
        ReferralFixtures.partner(
            fields(
                "referrerPoints", 100,
                "referredPoints", 50,
                "conversionTrigger", "manual",
                "flagHourlyThreshold", 0));
    String referrer = newId("u");
    String email = referrer + "@example.com";
    String code = p.user("acc-r", referrer, "Del", "Eted", email);
    String friend = newId("u");
    p.user("acc-f", friend, "Fritz", "F", null);
    String id = p.apply(code, "acc-f", friend).statusCode(201).extract().path("id");

    ReferralFixtures.publish(
        "auth.users.v1", p.id() + "___" + referrer, ReferralFixtures.userDeleted(p.id(), referrer));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> p.withKey().get(p.path("account/acc-r/user/" + referrer)).then().statusCode(404));
    assertEquals(0, count("select count(*) from participants where email = ?", email));
    assertEquals(0, count("select count(*) from referrals where referrer_user_id = ?", referrer));
    given().get(p.path("code/" + code)).then().statusCode(404);
    given().get(p.path("user?referralCode=" + code)).then().statusCode(404);

    // The referral stays, under a pseudonym and without the (name-made) code.
    p.server()
        .get("/manage/v1/referral/referrals/" + id)
        .then()
        .statusCode(200)
        .body("referrer_user_id", startsWith("deleted-"))
        .body("referrer_account_id", startsWith("deleted-"))
        .body("$", not(hasKey("referral_code")))
        .body("referred_user_id", equalTo(friend));
    p.withKey().get(p.path("referrals")).then().body("totalCount", equalTo(1));
    p.withToken(p.read("acc-f", friend))
        .get(p.path("account/acc-f/user/" + friend))
        .then()
        .statusCode(200);

    // Converting later credits the referred user only: no points for a pseudonym.
    try (TopicReader reader = new TopicReader(TOPIC)) {
      p.server().post("/manage/v1/referral/referrals/" + id + "/convert").then().statusCode(200);
      ConsumerRecord<String, String> converted = reader.await(converted(id), 1, WAIT).get(0);
      EventSchemas.assertValid(converted.value());
      JsonNode data = TopicReader.json(converted).path("data");
      assertEquals(0, data.path("referrer_points").asLong());
      assertEquals(50, data.path("referred_points").asLong());
      assertTrue(data.path("referrer_user_id").asText().startsWith("deleted-"));
    }

    // The referred user goes too; the referral is then anonymous on both sides.
    ReferralFixtures.publish(
        "auth.users.v1", p.id() + "___" + friend, ReferralFixtures.userDeleted(p.id(), friend));
    await()
        .atMost(WAIT)
        .until(
            () ->
                count(
                        "select count(*) from referrals where id = ? and referred_user_id like 'deleted-%'",
                        UUID.fromString(id))
                    == 1);
    assertEquals(0, count("select count(*) from participants where user_id = ?", friend));
  }

  @Test
  void aDeletionDeliveredTwiceIsReportedOnceWithWhatWasRemoved() throws Exception {
    Partner p =
        ReferralFixtures.partner(
            fields(
                "referrerPoints", 100,
                "referredPoints", 50,
                "conversionTrigger", "manual",
                "flagHourlyThreshold", 0));
    String referrer = newId("u");
    String code = p.user("acc-r", referrer, "Del", "Eted", referrer + "@example.com");
    String friend = newId("u");
    p.user("acc-f", friend, "Fritz", "F", null);
    p.apply(code, "acc-f", friend).statusCode(201);
    String deleted = ReferralFixtures.userDeleted(p.id(), referrer);
    String hash = UserErasures.userHash(p.id(), referrer);

    try (TopicReader reader = new TopicReader(ReferralEvents.ERASURES_TOPIC)) {
      ReferralFixtures.publish("auth.users.v1", p.id() + "___" + referrer, deleted);
      ReferralFixtures.publish("auth.users.v1", p.id() + "___" + referrer, deleted);
      Predicate<ConsumerRecord<String, String>> mine =
          TopicReader.event(ReferralEvents.USER_ERASED, "user_hash", hash);
      reader.await(mine, 1, WAIT);
      List<ConsumerRecord<String, String>> reports = reader.drain(mine, Duration.ofSeconds(5));
      assertEquals(1, reports.size(), "one report per deletion, however often it arrives");
      assertEquals(hash, reports.get(0).key());
      assertTrue(!reports.get(0).value().contains(referrer), reports.get(0).value());
      EventSchemas.assertValid(reports.get(0).value());
      JsonNode data = TopicReader.json(reports.get(0)).path("data");
      assertEquals(
          new ObjectMapper().readTree(deleted).path("id").asText(),
          data.path("deletion_id").asText());
      assertEquals("referral-service", data.path("service").asText());
      assertEquals(1, data.path("removed").path("participants").asInt());
      assertEquals(1, data.path("anonymised").path("referrals").asInt());
    }
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

  private static String uuid() {
    return UUID.randomUUID().toString();
  }
}
