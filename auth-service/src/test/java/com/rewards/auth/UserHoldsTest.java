package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestStack;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Holds come from payment-service's subscription events on Kafka and block deletion. */
@QuarkusTest
class UserHoldsTest {
  @Inject AgroalDataSource db;

  private static void publish(String id, String type, String clientId, String userId, String sub)
      throws Exception {
    String event =
        """
        {"specversion":"1.0","id":"%s","source":"/rewards/payment-service","type":"%s",
         "time":"2026-01-01T00:00:00Z","data":{"client_id":"%s","user_id":"%s","subscription_id":"%s"}}
        """
            .formatted(id, type, clientId, userId, sub);
    send(clientId + "___" + userId, event);
  }

  private static void send(String key, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (var producer = new KafkaProducer<String, String>(p)) {
      var record = new ProducerRecord<>("payment.payments.v1", key, value);
      // As the real producers send it: structured CloudEvents announce themselves in a header.
      record.headers().add("content-type", "application/cloudevents+json".getBytes());
      producer.send(record).get();
    }
  }

  private long holds(String clientId, String userId, String bucket) throws Exception {
    try (var c = db.getConnection();
        var st =
            c.prepareStatement(
                "select count(*) from user_holds where client_id = ? and user_id = ? and bucket = ?")) {
      st.setString(1, clientId);
      st.setString(2, userId);
      st.setString(3, bucket);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void anActiveSubscriptionBlocksDeletionUntilItEnds() throws Exception {
    var partner = newPartner();
    String clientId = partner.clientId();
    String userId = newUserId();
    String token = userToken(partner, userId);
    String activated = UUID.randomUUID().toString();

    // Wait on the table, not on DELETE: a DELETE that wins the race would delete the user.
    publish(activated, "payment.subscription.activated.v1", clientId, userId, "sub_1");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> holds(clientId, userId, "subscription:sub_1") == 1);
    given()
        .auth()
        .oauth2(token)
        .delete("/api/users/delete")
        .then()
        .statusCode(403)
        .body("code", equalTo("USER_ON_HOLD"));
    given().auth().oauth2(token).post("/user/delete").then().statusCode(403);

    publish(
        UUID.randomUUID().toString(),
        "payment.subscription.canceled.v1",
        clientId,
        userId,
        "sub_1");
    // A redelivered activation must not bring the hold back, and a record that is not JSON is
    // skipped. One key means one partition, so once the marker arrives both were handled.
    publish(activated, "payment.subscription.activated.v1", clientId, userId, "sub_1");
    send(clientId + "___" + userId, "{not json");
    publish(
        UUID.randomUUID().toString(),
        "payment.subscription.activated.v1",
        clientId,
        userId,
        "marker");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> holds(clientId, userId, "subscription:marker") == 1);
    assertEquals(0, holds(clientId, userId, "subscription:sub_1"));

    publish(
        UUID.randomUUID().toString(),
        "payment.subscription.canceled.v1",
        clientId,
        userId,
        "marker");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> holds(clientId, userId, "subscription:marker") == 0);
    given().auth().oauth2(token).delete("/api/users/delete").then().statusCode(200);
  }
}
