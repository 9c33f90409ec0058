package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.OPERATOR_KEY;
import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every event type auth-service produces matches its documented JSON Schema. */
@QuarkusTest
class EventSchemaTest {

  @Test
  void everyProducedEventMatchesItsSchema() {
    try (var users = new TopicReader("auth.users.v1");
        var partners = new TopicReader("auth.partners.v1");
        var otp = new TopicReader("auth.otp-deliveries.v1")) {
      var partner = newPartner();
      given()
          .header("X-Operator-Key", OPERATOR_KEY)
          .post("/admin/v1/partners/" + partner.clientId() + "/secret")
          .then()
          .statusCode(200);
      String userId = newUserId();
      String key = partner.clientId() + "___" + userId;
      String token = userToken(partner, userId);
      given()
          .auth()
          .oauth2(token)
          .contentType(ContentType.JSON)
          .body(Map.of("username", "schema" + System.nanoTime() % 100000))
          .post("/api/users/update")
          .then()
          .statusCode(200);
      given()
          .auth()
          .oauth2(token)
          .contentType(ContentType.JSON)
          .body(Map.of("channel", "email", "destination", userId + "@example.com"))
          .post("/api/users/otp/request")
          .then()
          .statusCode(202);
      given().auth().oauth2(token).post("/user/logout").then().statusCode(200);
      given().auth().oauth2(userToken(partner, userId)).post("/user/delete").then().statusCode(200);

      var userEvents = users.await(r -> key.equals(r.key()), 4, Duration.ofSeconds(30));
      var partnerEvents =
          partners.await(r -> partner.clientId().equals(r.key()), 2, Duration.ofSeconds(30));
      var otpEvents = otp.await(r -> key.equals(r.key()), 1, Duration.ofSeconds(30));

      List<String> seen =
          List.of(userEvents, partnerEvents, otpEvents).stream()
              .flatMap(List::stream)
              .peek(r -> EventSchemas.assertValid(r.value()))
              .map(r -> TopicReader.json(r).path("type").asText())
              .distinct()
              .sorted()
              .toList();
      assertEquals(
          Set.of(
              "auth.partner.created.v1",
              "auth.partner.secret-rotated.v1",
              "auth.user.created.v1",
              "auth.user.updated.v1",
              "auth.user.logged-out.v1",
              "auth.user.deleted.v1",
              "auth.otp.requested.v1"),
          Set.copyOf(seen));
    }
  }
}
