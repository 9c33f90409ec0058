package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One-time codes, delivered through the outbox topic, link a phone or email to the user. */
@QuarkusTest
class OtpTest {
  private static final String TOPIC = "auth.otp-deliveries.v1";

  private static io.restassured.response.ValidatableResponse request(
      String token, String channel, String destination, String key) {
    var spec = given().auth().oauth2(token).contentType(ContentType.JSON);
    if (key != null) {
      spec = spec.header("Idempotency-Key", key);
    }
    return spec.body(Map.of("channel", channel, "destination", destination))
        .post("/api/users/otp/request")
        .then();
  }

  private static io.restassured.response.ValidatableResponse verify(
      String token, String channel, String destination, String code) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("channel", channel, "destination", destination, "code", code))
        .post("/api/users/otp/verify")
        .then();
  }

  /**
   * The latest code for {@code userId} at {@code destination}. Codes are keyed per user, so two
   * users' codes sit on different partitions and arrive in any order: pick by user, not by arrival.
   */
  private static String deliveredCode(
      TopicReader reader, String destination, String userId, int nth) {
    var records =
        reader.await(
            TopicReader.event("auth.otp.requested.v1", "destination", destination)
                .and(TopicReader.event("auth.otp.requested.v1", "user_id", userId)),
            nth,
            Duration.ofSeconds(30));
    assertEquals(nth, records.size(), "codes delivered to " + destination + " for " + userId);
    return TopicReader.json(records.get(nth - 1)).path("data").path("code").asText();
  }

  @Test
  void aVerifiedPhoneBecomesTheLinkedMobileNumber() {
    var partner = newPartner();
    String userId = newUserId();
    String token = userToken(partner, userId);
    String phone = "+3361" + (System.nanoTime() % 10_000_000);

    given()
        .header("user-jwt-token", token)
        .get("/fe/users/account/linked-mobile-number")
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));

    try (var reader = new TopicReader(TOPIC)) {
      request(token, "phone", phone, null).statusCode(202).body("expires_in", equalTo(300));
      String code = deliveredCode(reader, phone, userId, 1);
      String wrong = code.equals("000000") ? "111111" : "000000";
      verify(token, "phone", phone, wrong).statusCode(400).body("code", equalTo("INVALID_CODE"));
      verify(token, "phone", phone, code).statusCode(200).body("phone", equalTo(phone));
      verify(token, "phone", phone, code).statusCode(400).body("code", equalTo("CODE_EXPIRED"));
    }

    given()
        .header("user-jwt-token", token)
        .get("/fe/users/account/linked-mobile-number")
        .then()
        .statusCode(200)
        .body("UserID", equalTo(userId))
        .body("NameSpacedThirdPartyUserID", equalTo(partner.clientId() + "___" + userId))
        .body("LinkedPhone", equalTo(phone));

    // The same phone cannot be linked to a second user of the partner.
    String otherId = newUserId();
    String other = userToken(partner, otherId);
    try (var reader = new TopicReader(TOPIC)) {
      request(other, "phone", phone, null).statusCode(202);
      verify(other, "phone", phone, deliveredCode(reader, phone, otherId, 1))
          .statusCode(409)
          .body("code", equalTo("PHONE_TAKEN"));
    }
  }

  @Test
  void guessesAndRequestsAreLimited() {
    String token = userToken(newPartner(), newUserId());
    String email = newUserId() + "@example.com";
    request(token, "email", email, null).statusCode(202);
    for (int i = 0; i < 5; i++) {
      verify(token, "email", email, "99999" + i).statusCode(400);
    }
    verify(token, "email", email, "123456")
        .statusCode(429)
        .body("code", equalTo("TOO_MANY_ATTEMPTS"));

    for (int i = 0; i < 4; i++) {
      request(token, "email", email, null).statusCode(202);
    }
    request(token, "email", email, null)
        .statusCode(429)
        .header("Retry-After", equalTo("900"))
        .body("code", equalTo("TOO_MANY_REQUESTS"));
  }

  @Test
  void idempotencyKeyReplaysWithoutASecondCode() {
    String token = userToken(newPartner(), newUserId());
    String email = newUserId() + "@example.com";
    try (var reader = new TopicReader(TOPIC)) {
      request(token, "email", email, "key-1").statusCode(202);
      request(token, "email", email, "key-1").statusCode(202).body("destination", equalTo(email));
      request(token, "email", "other-" + email, "key-1")
          .statusCode(409)
          .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
      var ofEmail = TopicReader.event("auth.otp.requested.v1", "destination", email);
      // Wait for the first code (the relay may be slow on a busy machine), then for a second.
      reader.await(ofEmail, 1, Duration.ofSeconds(30));
      var codes = reader.drain(ofEmail, Duration.ofSeconds(3));
      assertEquals(1, codes.size(), "one code for one idempotent request");
    }
  }

  @Test
  void refusesBadDestinations() {
    String token = userToken(newPartner(), newUserId());
    request(token, "phone", "not-a-phone", null).statusCode(400);
    request(token, "email", "nope", null).statusCode(400);
    request(token, "pigeon", "x", null).statusCode(400);
    verify(token, "phone", "+33612345678", "12").statusCode(400);
  }
}
