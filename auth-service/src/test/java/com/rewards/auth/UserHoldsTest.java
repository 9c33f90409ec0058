package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.rewards.platform.testing.TestStack;
import io.quarkus.test.junit.QuarkusTest;
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

  private static void publish(String id, String type, String clientId, String userId, String sub)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    String event =
        """
        {"specversion":"1.0","id":"%s","source":"/rewards/payment-service","type":"%s",
         "time":"2026-01-01T00:00:00Z","data":{"client_id":"%s","user_id":"%s","subscription_id":"%s"}}
        """
            .formatted(id, type, clientId, userId, sub);
    try (var producer = new KafkaProducer<String, String>(p)) {
      producer
          .send(new ProducerRecord<>("payment.payments.v1", clientId + "___" + userId, event))
          .get();
    }
  }

  @Test
  void anActiveSubscriptionBlocksDeletionUntilItEnds() throws Exception {
    var partner = newPartner();
    String userId = newUserId();
    String token = userToken(partner, userId);
    String activated = UUID.randomUUID().toString();

    publish(activated, "payment.subscription.activated.v1", partner.clientId(), userId, "sub_1");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .auth()
                    .oauth2(token)
                    .delete("/api/users/delete")
                    .then()
                    .statusCode(403)
                    .body("code", org.hamcrest.Matchers.equalTo("USER_ON_HOLD")));
    given().auth().oauth2(token).post("/user/delete").then().statusCode(403);

    publish(
        UUID.randomUUID().toString(),
        "payment.subscription.canceled.v1",
        partner.clientId(),
        userId,
        "sub_1");
    // A redelivered activation must not bring the hold back.
    publish(activated, "payment.subscription.activated.v1", partner.clientId(), userId, "sub_1");
    publish("not-json", "x", partner.clientId(), userId, "sub_2");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> given().auth().oauth2(token).delete("/api/users/delete").then().statusCode(200));
  }
}
