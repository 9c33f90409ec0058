package com.rewards.payment;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.payment.stripe.StripeSignature;
import com.rewards.platform.testing.TestStack;
import com.rewards.platform.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Real calls through the service's routes. Every test takes a fresh client id, so tests never see
 * each other's rows (the database and the fake Stripe outlive a test).
 */
public final class PaymentFixtures {
  public static final String BASE = "/api/users/payment";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PaymentFixtures() {}

  public static String newClientId() {
    return "pay-" + UUID.randomUUID();
  }

  public static String newUserId() {
    return "u-" + UUID.randomUUID();
  }

  public static RequestSpecification asUser(String clientId, String userId) {
    return given().auth().oauth2(TestTokens.user(clientId, userId)).contentType(ContentType.JSON);
  }

  public static RequestSpecification asServer(String clientId) {
    return given().auth().oauth2(TestTokens.server(clientId)).contentType(ContentType.JSON);
  }

  /** Attaches a card from a Stripe test token; answers its id. */
  public static String attach(String clientId, String userId, String token) {
    return asUser(clientId, userId)
        .body(Map.of("token", token))
        .post(BASE + "/")
        .then()
        .statusCode(200)
        .extract()
        .path("data.id");
  }

  /** Subscribes the user (who has a card) through the partner route; answers the id. */
  public static String subscribe(String clientId, String userId, String priceId) {
    return asServer(clientId)
        .body(Map.of("price_id", priceId))
        .post("/manage/v1/payments/users/" + userId + "/subscriptions")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  public static String charge(String clientId, String userId, long amount) {
    return asServer(clientId)
        .body(Map.of("amount", amount, "currency", "usd", "description", "test"))
        .post("/manage/v1/payments/users/" + userId + "/charges")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /**
   * Matches CloudEvents of {@code type} whose data has {@code field} = {@code value}. Unlike the
   * platform's, it skips records that are not JSON: other services' tests put such garbage on the
   * shared topic on purpose.
   */
  public static Predicate<ConsumerRecord<String, String>> event(
      String type, String field, String value) {
    return r -> {
      try {
        JsonNode node = JSON.readTree(r.value());
        return type.equals(node.path("type").asText())
            && value.equals(node.path("data").path(field).asText());
      } catch (Exception e) {
        return false;
      }
    };
  }

  /** Posts a webhook body signed as Stripe would at {@code at}. */
  public static Response webhook(String payload, Instant at) {
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    return given()
        .contentType(ContentType.JSON)
        .header("Stripe-Signature", StripeSignature.header(body, FakeStripe.WEBHOOK_SECRET, at))
        .body(body)
        .post("/webhooks/stripe");
  }

  public static void publish(String topic, String key, String eventJson) {
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
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An auth.users.v1 event as auth-service writes it. */
  public static String userEvent(String type, String clientId, String userId, Instant at) {
    return """
        {"specversion":"1.0","id":"%s","source":"/rewards/auth-service","type":"%s","time":"%s",
         "subject":"%s___%s","datacontenttype":"application/json","partnerid":"%s",
         "data":{"client_id":"%s","user_id":"%s","namespaced_user_id":"%s___%s",
         "occurred_at":"%s","tokens_valid_after":"%s"}}
        """
        .formatted(
            UUID.randomUUID(),
            type,
            at,
            clientId,
            userId,
            clientId,
            clientId,
            userId,
            clientId,
            userId,
            at,
            at);
  }
}
