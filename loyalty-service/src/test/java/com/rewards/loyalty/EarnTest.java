package com.rewards.loyalty;

import static com.rewards.loyalty.LedgerFixtures.newClientId;
import static com.rewards.loyalty.LedgerFixtures.newUserId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class EarnTest {
  @Inject AgroalDataSource db;
  LedgerFixtures fx;
  String clientId;
  String userId;

  @BeforeEach
  void setUp() {
    fx = new LedgerFixtures(db);
    clientId = newClientId();
    userId = newUserId();
    fx.program(clientId, null, 0, null);
    fx.action(clientId, "visit", 10, null, null);
  }

  private ValidatableResponse store(String code, String query, String key) {
    var spec =
        given()
            .auth()
            .oauth2(TestTokens.user(clientId, userId))
            .contentType(ContentType.JSON)
            .body(Map.of("action_code", code));
    if (key != null) {
      spec = spec.header("Idempotency-Key", key);
    }
    return spec.post("/generosity/store" + query).then();
  }

  @Test
  void earnAnswersTheEntryAndTheNewBalance() {
    store("visit", "", null)
        .statusCode(200)
        .body("data.entry_id", notNullValue())
        .body("data.points", equalTo(10))
        .body("data.balance", equalTo(10));
    store("visit", "", null).statusCode(200).body("data.balance", equalTo(20));
    assertEquals(20, fx.balance(clientId, userId));
    assertEquals(20, fx.ledgerSum(clientId, userId));
  }

  @Test
  void dryRunAnswersAndWritesNothing() {
    store("visit", "?dryRun=true", null)
        .statusCode(200)
        .body("data.dry_run", equalTo(true))
        .body("data.balance", equalTo(10))
        .body("data.entry_id", equalTo(null));
    assertEquals(0, fx.count("ledger_entries", clientId, userId));
    assertEquals(0, fx.count("accounts", clientId, userId));
  }

  @Test
  void aDryRunAskedForInTheBodyWritesNothingEither() {
    for (String field : new String[] {"dry_run", "dryRun"}) {
      given()
          .auth()
          .oauth2(TestTokens.user(clientId, userId))
          .contentType(ContentType.JSON)
          .body(Map.of("action_code", "visit", field, true))
          .post("/generosity/store")
          .then()
          .statusCode(200)
          .body("data.dry_run", equalTo(true))
          .body("data.entry_id", equalTo(null));
    }
    assertEquals(0, fx.count("ledger_entries", clientId, userId));
  }

  @Test
  void unknownOrClosedActionsAreRefused() {
    store("nope", "", null).statusCode(404).body("code", equalTo("RECORD_NOT_FOUND"));
    fx.update("update actions set active = false where client_id = ? and code = 'visit'", clientId);
    store("visit", "", null).statusCode(409).body("code", equalTo("ACTION_NOT_AVAILABLE"));
    store("bad code!", "", null).statusCode(400);
    assertEquals(0, fx.ledgerSum(clientId, userId));
  }

  @Test
  void capsPerUserPerDayAndPerProgramDay() {
    fx.action(clientId, "once", 5, 1, null);
    store("once", "", null).statusCode(200);
    store("once", "", null).statusCode(409).body("code", equalTo("LIMIT_REACHED"));

    fx.action(clientId, "daily", 5, null, 2);
    store("daily", "", null).statusCode(200);
    store("daily", "", null).statusCode(200);
    store("daily", "", null).statusCode(409).body("code", equalTo("LIMIT_REACHED"));

    String other = newClientId();
    fx.program(other, null, 0, 25L);
    fx.action(other, "visit", 10, null, null);
    var token = TestTokens.user(other, userId);
    for (int expected : new int[] {200, 200, 409}) {
      given()
          .auth()
          .oauth2(token)
          .contentType(ContentType.JSON)
          .body(Map.of("action_code", "visit"))
          .post("/generosity/store")
          .then()
          .statusCode(expected);
    }
    assertEquals(20, fx.balance(other, userId));
  }

  @Test
  void idempotencyKeyReplaysTheFirstAnswer() {
    int first = store("visit", "", "k1").statusCode(200).extract().path("data.entry_id");
    store("visit", "", "k1").statusCode(200).body("data.entry_id", equalTo(first));
    fx.action(clientId, "other", 3, null, null);
    store("other", "", "k1").statusCode(409).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    assertEquals(10, fx.balance(clientId, userId));
  }

  @Test
  void onlyUsersStoreForThemselves() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(TestTokens.server(clientId))
        .contentType(ContentType.JSON)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then()
        .statusCode(403);
    // A user of another partner finds no such action in its own program.
    given()
        .auth()
        .oauth2(TestTokens.user(newClientId(), userId))
        .contentType(ContentType.JSON)
        .body(Map.of("action_code", "visit"))
        .post("/generosity/store")
        .then()
        .statusCode(404);
  }

  @Test
  void bufferStoreDeduplicatesOnTheTransactionId() {
    var server = TestTokens.server(clientId);
    Map<String, String> body =
        Map.of("user_id", userId, "action_code", "visit", "transaction_id", "tx-1");
    int entry =
        given()
            .auth()
            .oauth2(server)
            .contentType(ContentType.JSON)
            .body(body)
            .post("/buffer/store")
            .then()
            .statusCode(200)
            .body("data.duplicate", equalTo(false))
            .extract()
            .path("data.entry_id");
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/buffer/store")
        .then()
        .statusCode(200)
        .body("data.duplicate", equalTo(true))
        .body("data.entry_id", equalTo(entry));
    assertEquals(10, fx.balance(clientId, userId));
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/buffer/store")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(server)
        .contentType(ContentType.JSON)
        .body(Map.of("user_id", userId, "action_code", "visit"))
        .post("/buffer/store")
        .then()
        .statusCode(400);
  }

  @Test
  void multiStoreReportsEachUserAndNeverHalfAUser() {
    fx.action(clientId, "once", 5, 1, null);
    String already = newUserId();
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, already))
        .contentType(ContentType.JSON)
        .body(Map.of("action_code", "once"))
        .post("/generosity/store")
        .then()
        .statusCode(200);
    List<String> users = new ArrayList<>(List.of(newUserId(), already, newUserId()));
    given()
        .auth()
        .oauth2(TestTokens.server(clientId))
        .contentType(ContentType.JSON)
        .body(Map.of("action_code", "once", "user_ids", users))
        .post("/generosity/multistore")
        .then()
        .statusCode(200)
        .body("data.stored", equalTo(2))
        .body("data.refused", equalTo(1))
        .body("data.results[1].status", equalTo("refused"))
        .body("data.results[1].code", equalTo("LIMIT_REACHED"))
        .body("data.results[0].earned.balance", equalTo(5));
    assertEquals(5, fx.balance(clientId, already));
    assertEquals(1, fx.count("ledger_entries", clientId, already));

    List<String> tooMany = IntStream.range(0, 501).mapToObj(i -> "u" + i).toList();
    given()
        .auth()
        .oauth2(TestTokens.server(clientId))
        .contentType(ContentType.JSON)
        .body(Map.of("action_code", "once", "user_ids", tooMany))
        .post("/generosity/multistore")
        .then()
        .statusCode(413)
        .body("code", equalTo("PAYLOAD_TOO_LARGE"));
  }
}
