package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.serverToken;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.platform.event.UserErasures;
import com.rewards.platform.testing.TestStack;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The deletion receipt: auth's part at once, the other services' from real records on their
 * erasures topics, only for the partner's server.
 */
@QuarkusTest
class DeletionReceiptTest {
  private static final List<String> SERVICES =
      List.of(
          "auth-service",
          "loyalty-service",
          "referral-service",
          "payment-service",
          "analytics-service");

  @Inject AgroalDataSource db;

  private static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static void publish(String topic, String key, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (var producer = new KafkaProducer<String, String>(p)) {
      var record = new ProducerRecord<>(topic, key, value);
      record
          .headers()
          .add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
  }

  /** A service's report as it writes it (UserErasures.completed). */
  private static String erased(
      String prefix,
      String service,
      String clientId,
      String hash,
      String deletionId,
      String removed,
      String anonymised) {
    String now = Instant.now().toString();
    return """
        {"specversion":"1.0","id":"%s","source":"/rewards/%s","type":"%s.user.erased.v1",
         "time":"%s","subject":"%s","datacontenttype":"application/json","partnerid":"%s",
         "data":{"client_id":"%s","user_hash":"%s","deletion_id":"%s","deleted_at":"%s",
         "service":"%s","removed":%s,"anonymised":%s,"erased_at":"%s"}}
        """
        .formatted(
            UUID.randomUUID(),
            service,
            prefix,
            now,
            hash,
            clientId,
            clientId,
            hash,
            deletionId,
            now,
            service,
            removed,
            anonymised,
            now);
  }

  private static void report(
      String prefix,
      String service,
      String clientId,
      String hash,
      String deletionId,
      String removed)
      throws Exception {
    publish(
        prefix + ".erasures.v1",
        hash,
        erased(prefix, service, clientId, hash, deletionId, removed, "{}"));
  }

  private static JsonPath receipt(String token, String userId) {
    return given()
        .auth()
        .oauth2(token)
        .get("/manage/v1/deletion-receipts/" + userId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static Map<String, Object> part(JsonPath receipt, String service) {
    return receipt.getMap("services.find { it.service == '" + service + "' }");
  }

  @Test
  void authsPartIsDoneAtOnceAndTheOthersWhenTheirReportsArrive() throws Exception {
    var partner = newPartner();
    String userId = newUserId();
    String token = userToken(partner, userId);
    String server = serverToken(partner);
    given().auth().oauth2(token).post("/user/delete").then().statusCode(200);

    JsonPath r = receipt(server, userId);
    String hash = sha256(partner.clientId() + "___" + userId);
    assertEquals(hash, r.getString("user_id_hash"));
    assertEquals(hash, UserErasures.userHash(partner.clientId(), userId));
    assertFalse(r.getBoolean("complete"));
    assertEquals(SERVICES, r.getList("services.service"));
    assertEquals("done", part(r, "auth-service").get("status"));
    assertEquals(1, r.getInt("services[0].removed.users"));
    assertTrue(r.getMap("services[0].removed").containsKey("otp_codes"));
    for (String service : SERVICES.subList(1, SERVICES.size())) {
      assertEquals("pending", part(r, service).get("status"), service);
      assertNull(part(r, service).get("removed"), service);
    }
    String deletionId = r.getString("deletion_id");

    // On loyalty's topic, in this order (one key, one partition): a record claiming to be
    // referral's, a report of an earlier deletion, then loyalty's own. Only the last counts.
    report(
        "loyalty",
        "referral-service",
        partner.clientId(),
        hash,
        deletionId,
        "{\"participants\":99}");
    report(
        "loyalty",
        "loyalty-service",
        partner.clientId(),
        hash,
        UUID.randomUUID().toString(),
        "{\"ledger_entries\":99}");
    report(
        "loyalty",
        "loyalty-service",
        partner.clientId(),
        hash,
        deletionId,
        "{\"ledger_entries\":12,\"accounts\":1}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "done".equals(part(receipt(server, userId), "loyalty-service").get("status")));
    r = receipt(server, userId);
    assertEquals(12, r.getInt("services[1].removed.ledger_entries"));
    assertEquals(1, r.getInt("services[1].removed.accounts"));
    assertEquals("pending", part(r, "referral-service").get("status"));
    assertFalse(r.getBoolean("complete"));

    // The same record twice, as a relay may publish it after a crash.
    String referral =
        erased(
            "referral",
            "referral-service",
            partner.clientId(),
            hash,
            deletionId,
            "{\"participants\":1}",
            "{\"referrals\":2}");
    publish("referral.erasures.v1", hash, referral);
    publish("referral.erasures.v1", hash, referral);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> "done".equals(part(receipt(server, userId), "referral-service").get("status")));
    r = receipt(server, userId);
    assertEquals(1, r.getInt("services[2].removed.participants"));
    assertEquals(2, r.getInt("services[2].anonymised.referrals"));
    assertEquals("pending", part(r, "payment-service").get("status"));

    report(
        "payment",
        "payment-service",
        partner.clientId(),
        hash,
        deletionId,
        "{\"subscriptions\":0,\"charges\":0,\"cards\":1,\"customers\":1}");
    report(
        "analytics",
        "analytics-service",
        partner.clientId(),
        hash,
        deletionId,
        "{\"user_daily\":1,\"user_event_daily\":1,\"px_client_events\":1}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> receipt(server, userId).getBoolean("complete"));
    r = receipt(server, userId);
    assertEquals(1, r.getInt("services[3].removed.cards"));
    assertEquals(1, r.getInt("services[4].removed.px_client_events"));
    for (String service : SERVICES) {
      assertEquals("done", part(r, service).get("status"), service);
      assertTrue(part(r, service).get("completed_at") != null, service);
    }

    // Nothing in the receipt's rows names the user.
    try (var c = db.getConnection();
        var s = c.prepareStatement("select * from deletion_receipts where user_hash = ?")) {
      s.setString(1, hash);
      ResultSet rows = s.executeQuery();
      int n = 0;
      while (rows.next()) {
        n++;
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          String value = rows.getString(i);
          assertFalse(value != null && value.contains(userId), "column " + i + ": " + value);
        }
      }
      assertEquals(5, n);
    }
  }

  @Test
  void onlyThePartnersServerSeesItsUsersReceipts() {
    var partner = newPartner();
    String userId = newUserId();
    String other = newUserId();
    String otherToken = userToken(partner, other);
    given().auth().oauth2(userToken(partner, userId)).post("/user/delete").then().statusCode(200);
    String path = "/manage/v1/deletion-receipts/" + userId;

    given().get(path).then().statusCode(401);
    given().auth().oauth2(otherToken).get(path).then().statusCode(403);
    // Another partner's server: as if the user did not exist (no hint it does elsewhere).
    given()
        .auth()
        .oauth2(serverToken(newPartner()))
        .get(path)
        .then()
        .statusCode(404)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("RECORD_NOT_FOUND"));
    String server = serverToken(partner);
    // A user never deleted, and one that never existed.
    for (String id : List.of(other, newUserId())) {
      given()
          .auth()
          .oauth2(server)
          .get("/manage/v1/deletion-receipts/" + id)
          .then()
          .statusCode(404)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("RECORD_NOT_FOUND"));
    }
    given().auth().oauth2(server).get(path).then().statusCode(200);
  }

  @Test
  void everyDeletePathOpensAReceiptAndALaterDeletionReplacesIt() {
    var partner = newPartner();
    String server = serverToken(partner);
    String viaApi = newUserId();
    String viaMulti = newUserId();
    given()
        .auth()
        .oauth2(userToken(partner, viaApi))
        .delete("/api/users/delete")
        .then()
        .statusCode(200);
    userToken(partner, viaMulti);
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("userIds", List.of(viaMulti)))
        .post("/user/multidelete")
        .then()
        .statusCode(200);
    assertEquals("done", receipt(server, viaApi).getString("services[0].status"));
    String first = receipt(server, viaMulti).getString("deletion_id");
    assertEquals(1, receipt(server, viaMulti).getInt("services[0].removed.users"));

    // The same id signs in again and is deleted again: the receipt is the new deletion's.
    given().auth().oauth2(userToken(partner, viaMulti)).post("/user/delete").then().statusCode(200);
    JsonPath again = receipt(server, viaMulti);
    assertNotEquals(first, again.getString("deletion_id"));
    assertEquals(5, again.getList("services").size());
  }
}
