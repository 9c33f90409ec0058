package com.rewards.referral;

import static io.restassured.RestAssured.given;

import com.rewards.platform.testing.TestStack;
import com.rewards.platform.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;

/**
 * A partner set up the way a real one is, through the management API with its platform server
 * token: program settings, an HS256 client-JWT secret and an API key. Plus document-001 client JWTs
 * minted the way a partner's server would, and records published to Kafka.
 */
final class ReferralFixtures {
  private ReferralFixtures() {}

  /** A partner with its document-001 credentials. */
  record Partner(String id, String apiKey, String secret) {
    String path(String rest) {
      return "/api/v1/" + id + "/open/" + rest;
    }

    /** A write token for the user, with the given fields, expiring in an hour. */
    String write(String accountId, String userId, Map<String, Object> fields) {
      return hs256(secret, accountId, userId, fields, Instant.now().plusSeconds(3600));
    }

    /** A read token (id and accountId only), expiring in an hour. */
    String read(String accountId, String userId) {
      return hs256(secret, accountId, userId, Map.of(), Instant.now().plusSeconds(3600));
    }

    RequestSpecification withKey() {
      return given().header("Authorization", basic(apiKey));
    }

    RequestSpecification withToken(String token) {
      return given().header("Authorization", "Bearer " + token);
    }

    RequestSpecification server() {
      return given().auth().oauth2(TestTokens.server(id)).contentType(ContentType.JSON);
    }

    /** Creates a user with the API key, answering its referral code. */
    String user(String accountId, String userId, String first, String last, String email) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("firstName", first);
      body.put("lastName", last);
      if (email != null) {
        body.put("email", email);
      }
      return withKey()
          .contentType(ContentType.JSON)
          .body(body)
          .post(path("account/" + accountId + "/user/" + userId))
          .then()
          .statusCode(201)
          .extract()
          .path("referralCode");
    }

    /** Applies {@code code} for the user with the API key; answers the response's body. */
    io.restassured.response.ValidatableResponse apply(
        String code, String accountId, String userId) {
      return withKey()
          .post(path("code/" + code + "/account/" + accountId + "/user/" + userId))
          .then();
    }

    void settings(Map<String, Object> settings) {
      server().body(settings).put("/manage/v1/referral/program").then().statusCode(200);
    }
  }

  static String newId(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /**
   * A new partner: rewards 100/50 converting on points earned, no flagging by rate and a high
   * velocity limit (tests that need them set their own), HS256 client JWTs and an API key.
   */
  static Partner partner() {
    return partner(
        Map.of(
            "referrerPoints", 100,
            "referredPoints", 50,
            "conversionTrigger", "points_earned",
            "velocityLimitPerDay", 1000,
            "flagHourlyThreshold", 0));
  }

  static Partner partner(Map<String, Object> settings) {
    String id = newId("p");
    String secret = "s3cr3t-" + UUID.randomUUID() + "-" + UUID.randomUUID();
    given()
        .auth()
        .oauth2(TestTokens.server(id))
        .contentType(ContentType.JSON)
        .body(settings)
        .put("/manage/v1/referral/program")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(TestTokens.server(id))
        .contentType(ContentType.JSON)
        .body(Map.of("algorithm", "HS256", "secret", secret))
        .put("/manage/v1/referral/client-jwt-key")
        .then()
        .statusCode(200);
    String key =
        given()
            .auth()
            .oauth2(TestTokens.server(id))
            .contentType(ContentType.JSON)
            .body(Map.of("name", "tests"))
            .post("/manage/v1/referral/api-keys")
            .then()
            .statusCode(201)
            .extract()
            .path("key");
    return new Partner(id, key, secret);
  }

  static String basic(String apiKey) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(("ignored-user:" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  static String hs256(
      String secret, String accountId, String userId, Map<String, Object> fields, Instant exp) {
    return sign(
        new HmacKey(secret.getBytes(StandardCharsets.UTF_8)),
        AlgorithmIdentifiers.HMAC_SHA256,
        claims(accountId, userId, fields, exp));
  }

  static JwtClaims claims(
      String accountId, String userId, Map<String, Object> fields, Instant exp) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", userId);
    user.put("accountId", accountId);
    user.putAll(fields);
    JwtClaims claims = new JwtClaims();
    claims.setClaim("user", user);
    if (exp != null) {
      claims.setClaim("exp", exp.getEpochSecond());
    }
    return claims;
  }

  static String sign(Key key, String algorithm, JwtClaims claims) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(claims.toJson());
      jws.setKey(key);
      jws.setAlgorithmHeaderValue(algorithm);
      // Tests also sign with keys a real partner would not use (short, wrong kind).
      jws.setDoKeyValidation(false);
      jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
      return jws.getCompactSerialization();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(java.security.PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static Map<String, Object> fields(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  static void publish(String topic, String key, String eventJson) {
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

  /** A loyalty.points.earned.v1 as loyalty-service publishes it. */
  static String pointsEarned(String eventId, String clientId, String userId, String sourceType) {
    return """
        {"specversion":"1.0","id":"%s","source":"/rewards/loyalty-service",
         "type":"loyalty.points.earned.v1","time":"%s","subject":"%s___%s",
         "datacontenttype":"application/json","partnerid":"%s",
         "data":{"client_id":"%s","user_id":"%s","namespaced_user_id":"%s___%s","entry_id":1,
         "kind":"earn","points":10,"balance":10,"pending":0,"source_type":"%s",
         "available_at":"%s","occurred_at":"%s"}}
        """
        .formatted(
            eventId,
            Instant.now(),
            clientId,
            userId,
            clientId,
            clientId,
            userId,
            clientId,
            userId,
            sourceType,
            Instant.now(),
            Instant.now());
  }

  /** A successful charge on payment.payments.v1 (payment-service's type). */
  static String chargeSucceeded(String eventId, String clientId, String userId) {
    return """
        {"specversion":"1.0","id":"%s","source":"/rewards/payment-service",
         "type":"payment.charge.succeeded.v1","time":"%s","subject":"%s___%s",
         "datacontenttype":"application/json","partnerid":"%s",
         "data":{"client_id":"%s","user_id":"%s","amount":1000,"currency":"eur"}}
        """
        .formatted(eventId, Instant.now(), clientId, userId, clientId, clientId, userId);
  }

  static String userDeleted(String clientId, String userId) {
    Instant at = Instant.now();
    return """
        {"specversion":"1.0","id":"%s","source":"/rewards/auth-service",
         "type":"auth.user.deleted.v1","time":"%s","subject":"%s___%s",
         "datacontenttype":"application/json","partnerid":"%s",
         "data":{"client_id":"%s","user_id":"%s","namespaced_user_id":"%s___%s",
         "occurred_at":"%s"}}
        """
        .formatted(
            UUID.randomUUID(),
            at,
            clientId,
            userId,
            clientId,
            clientId,
            userId,
            clientId,
            userId,
            at);
  }
}
