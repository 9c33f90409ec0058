package com.rewards.loyalty;

import static com.rewards.loyalty.LedgerFixtures.newClientId;
import static com.rewards.loyalty.LedgerFixtures.newUserId;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TestTokens;
import com.rewards.platform.testing.TopicReader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ledger and redemption events: keyed by user, in order, matching their schemas. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class LoyaltyEventsTest {
  @Inject AgroalDataSource db;

  @Test
  void everyPointsMovementIsAnEventInOrder() {
    var fx = new LedgerFixtures(db);
    String clientId = newClientId();
    String userId = newUserId();
    String key = clientId + "___" + userId;
    fx.program(clientId, 365, 0, null);
    fx.action(clientId, "visit", 30, null, null);
    UUID gift = fx.gift(clientId, 20, null, null);

    try (var ledger = new TopicReader("loyalty.ledger.v1");
        var redemptions = new TopicReader("loyalty.redemptions.v1")) {
      LedgerFixtures.earn(clientId, userId, "visit");
      String redemption =
          given()
              .auth()
              .oauth2(TestTokens.user(clientId, userId))
              .contentType(ContentType.JSON)
              .body(Map.of("gift_id", gift.toString()))
              .post("/gift/checkavailability")
              .then()
              .statusCode(200)
              .extract()
              .path("data.redemption_id");
      given()
          .auth()
          .oauth2(TestTokens.server(clientId))
          .post("/manage/v1/redemptions/" + redemption + "/refund")
          .then()
          .statusCode(200);
      LedgerFixtures.grant(clientId, userId, 5);

      var points = ledger.await(r -> key.equals(r.key()), 4, Duration.ofSeconds(30));
      var gifts = redemptions.await(r -> key.equals(r.key()), 2, Duration.ofSeconds(30));
      points.forEach(r -> EventSchemas.assertValid(r.value()));
      gifts.forEach(r -> EventSchemas.assertValid(r.value()));
      assertEquals(
          List.of(
              "loyalty.points.earned.v1",
              "loyalty.points.burned.v1",
              "loyalty.points.adjusted.v1",
              "loyalty.points.adjusted.v1"),
          points.stream().map(r -> TopicReader.json(r).path("type").asText()).toList());
      assertEquals(
          List.of(30L, 10L, 30L, 35L),
          points.stream()
              .map(r -> TopicReader.json(r).path("data").path("balance").asLong())
              .toList());
      assertEquals(
          List.of("loyalty.gift.redeemed.v1", "loyalty.redemption.refunded.v1"),
          gifts.stream().map(r -> TopicReader.json(r).path("type").asText()).toList());
    }
  }
}
