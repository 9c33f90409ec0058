package com.rewards.loyalty;

import static com.rewards.loyalty.LedgerFixtures.newClientId;
import static com.rewards.loyalty.LedgerFixtures.newUserId;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.loyalty.event.LoyaltyEvents;
import com.rewards.platform.event.UserErasures;
import com.rewards.platform.security.TokenRevocations;
import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TestStack;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What loyalty does with other services' events, each applied exactly once. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class LoyaltyConsumersTest {
  @Inject AgroalDataSource db;
  @Inject TokenRevocations revocations;

  private static void publish(String topic, String key, String eventJson) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (var producer = new KafkaProducer<String, String>(p)) {
      var record = new ProducerRecord<>(topic, key, eventJson);
      record
          .headers()
          .add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
  }

  private static String converted(
      String eventId, String clientId, String referralId, String referrer, String referred) {
    return """
        {"specversion":"1.0","id":"%s","source":"/rewards/referral-service",
         "type":"referral.referral.converted.v1","time":"%s","data":{"client_id":"%s",
         "referral_id":"%s","referrer_user_id":"%s","referred_user_id":"%s",
         "referrer_points":100,"referred_points":50}}
        """
        .formatted(eventId, Instant.now(), clientId, referralId, referrer, referred);
  }

  private static String userEvent(String type, String clientId, String userId, Instant at) {
    return userEvent(UUID.randomUUID().toString(), type, clientId, userId, at);
  }

  private static String userEvent(
      String id, String type, String clientId, String userId, Instant at) {
    return """
        {"specversion":"1.0","id":"%s","source":"/rewards/auth-service","type":"%s","time":"%s",
         "data":{"client_id":"%s","user_id":"%s","namespaced_user_id":"%s___%s",
         "occurred_at":"%s","tokens_valid_after":"%s"}}
        """
        .formatted(id, type, at, clientId, userId, clientId, userId, at, at);
  }

  @Test
  void aConvertedReferralCreditsBothSidesOnceEvenWhenDeliveredTwice() throws Exception {
    var fx = new LedgerFixtures(db);
    String clientId = newClientId();
    fx.program(clientId, null, 0, null);
    String referrer = newUserId();
    String referred = newUserId();
    String referral = UUID.randomUUID().toString();
    String event = converted(UUID.randomUUID().toString(), clientId, referral, referrer, referred);

    publish("referral.referrals.v1", clientId + "___" + referred, event);
    publish("referral.referrals.v1", clientId + "___" + referred, event);
    // Another event id for the same referral (a producer retry after a lost ack).
    publish(
        "referral.referrals.v1",
        clientId + "___" + referred,
        converted(UUID.randomUUID().toString(), clientId, referral, referrer, referred));
    publish("referral.referrals.v1", clientId + "___" + referred, "{not json");
    // A marker on the same key: once it is applied, everything before it was too.
    String marker = newUserId();
    publish(
        "referral.referrals.v1",
        clientId + "___" + referred,
        converted(UUID.randomUUID().toString(), clientId, "marker", marker, marker + "-b"));

    await().atMost(Duration.ofSeconds(30)).until(() -> fx.balance(clientId, marker) == 100);
    assertEquals(100, fx.balance(clientId, referrer));
    assertEquals(50, fx.balance(clientId, referred));
    assertEquals(1, fx.count("ledger_entries", clientId, referrer));
  }

  @Test
  void userDeletedPurgesEverythingAndRevokesTheToken() throws Exception {
    var fx = new LedgerFixtures(db);
    String clientId = newClientId();
    String userId = newUserId();
    fx.program(clientId, null, 0, null);
    fx.action(clientId, "visit", 10, null, null);
    String token = TestTokens.user(clientId, userId);
    LedgerFixtures.earn(clientId, userId, "visit");
    Thread.sleep(1100); // the deletion happens in a later second than the token's iat

    publish(
        "auth.users.v1",
        clientId + "___" + userId,
        userEvent("auth.user.deleted.v1", clientId, userId, Instant.now()));

    await().atMost(Duration.ofSeconds(30)).until(() -> fx.count("accounts", clientId, userId) == 0);
    assertEquals(0, fx.count("ledger_entries", clientId, userId));
    assertEquals(0, fx.count("points_lots", clientId, userId));
    given().auth().oauth2(token).get("/gift/list").then().statusCode(401);
  }

  @Test
  void aDeletionDeliveredTwiceIsReportedOnceWithWhatWasRemoved() throws Exception {
    var fx = new LedgerFixtures(db);
    String clientId = newClientId();
    String userId = newUserId();
    fx.program(clientId, null, 0, null);
    fx.action(clientId, "visit", 10, null, null);
    LedgerFixtures.earn(clientId, userId, "visit");
    LedgerFixtures.earn(clientId, userId, "visit");
    long entries = fx.count("ledger_entries", clientId, userId);
    String hash = UserErasures.userHash(clientId, userId);
    String deletionId = UUID.randomUUID().toString();
    String deleted = userEvent(deletionId, "auth.user.deleted.v1", clientId, userId, Instant.now());

    try (var reader = new TopicReader(LoyaltyEvents.ERASURES_TOPIC)) {
      publish("auth.users.v1", clientId + "___" + userId, deleted);
      publish("auth.users.v1", clientId + "___" + userId, deleted);
      var mine = TopicReader.event(LoyaltyEvents.USER_ERASED, "user_hash", hash);
      reader.await(mine, 1, Duration.ofSeconds(30));
      var reports = reader.drain(mine, Duration.ofSeconds(5));
      assertEquals(1, reports.size(), "one report per deletion, however often it arrives");
      var record = reports.get(0);
      assertEquals(hash, record.key());
      assertFalse(record.value().contains(userId), record.value());
      EventSchemas.assertValid(record.value());
      var data = TopicReader.json(record).path("data");
      assertEquals(deletionId, data.path("deletion_id").asText());
      assertEquals("loyalty-service", data.path("service").asText());
      assertEquals(entries, data.path("removed").path("ledger_entries").asLong());
      assertEquals(1, data.path("removed").path("accounts").asInt());
      assertTrue(data.path("removed").has("points_lots"));
    }
    assertEquals(0, fx.count("accounts", clientId, userId));
  }

  @Test
  void logoutRevokesOlderTokensButNotNewerOnes() throws Exception {
    String clientId = newClientId();
    String userId = newUserId();
    String before = TestTokens.user(clientId, userId);
    // Accepted once, so the verifier caches it: the logout must still refuse it.
    given().auth().oauth2(before).get("/gift/list").then().statusCode(200);
    Thread.sleep(1100);
    publish(
        "auth.users.v1",
        clientId + "___" + userId,
        userEvent("auth.user.logged-out.v1", clientId, userId, Instant.now()));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> given().auth().oauth2(before).get("/gift/list").then().statusCode(401));
    Thread.sleep(1100);
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .get("/gift/list")
        .then()
        .statusCode(200);
  }

  @Test
  void revocationsOlderThanAnyTokenAreForgotten() throws Exception {
    String clientId = newClientId();
    String old = newUserId();
    String recent = newUserId();
    try (var c = db.getConnection();
        var insert =
            c.prepareStatement(
                "insert into token_revocations (client_id, user_id, valid_after)"
                    + " values (?, ?, now() - ?::interval)")) {
      insert.setString(1, clientId);
      insert.setString(2, old);
      insert.setString(3, "3 days");
      insert.executeUpdate();
      insert.setString(2, recent);
      insert.setString(3, "1 day");
      insert.executeUpdate();
    }
    revocations.purgeExpired().await().atMost(Duration.ofSeconds(10));
    try (var c = db.getConnection();
        var left =
            c.prepareStatement(
                "select user_id from token_revocations where client_id = ? order by user_id")) {
      left.setString(1, clientId);
      try (var rows = left.executeQuery()) {
        assertEquals(true, rows.next());
        // A day-old revocation may still refuse a 24-hour user token: it stays.
        assertEquals(recent, rows.getString(1));
        assertEquals(false, rows.next(), "the 3-day-old revocation is gone");
      }
    }
  }
}
