package com.rewards.loyalty;

import static com.rewards.loyalty.LoyaltyFixtures.adjust;
import static com.rewards.loyalty.LoyaltyFixtures.asServer;
import static com.rewards.loyalty.LoyaltyFixtures.asUser;
import static com.rewards.loyalty.LoyaltyFixtures.buy;
import static com.rewards.loyalty.LoyaltyFixtures.earnEntry;
import static com.rewards.loyalty.LoyaltyFixtures.newClientId;
import static com.rewards.loyalty.LoyaltyFixtures.program;
import static com.rewards.loyalty.LoyaltyFixtures.refund;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.rewards.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class RankingTest {
  @Inject AgroalDataSource db;

  private static String partner() {
    String clientId = newClientId();
    program(clientId, Map.of("name", "Miles"));
    LoyaltyFixtures.action(clientId, "ten", 10);
    LoyaltyFixtures.action(clientId, "twenty", 20);
    LoyaltyFixtures.action(clientId, "thirty", 30);
    LoyaltyFixtures.action(clientId, "hundred", 100);
    return clientId;
  }

  @Test
  void rankingOrdersByPointsEarnedThenByUserId() {
    String clientId = partner();
    String p = "r" + UUID.randomUUID().toString().substring(0, 8);
    String a = p + "-a";
    String b = p + "-b";
    String c = p + "-c";
    String d = p + "-d";
    String e = p + "-e";
    earnEntry(clientId, a, "thirty");
    earnEntry(clientId, b, "thirty");
    earnEntry(clientId, b, "twenty");
    earnEntry(clientId, c, "ten");
    earnEntry(clientId, c, "twenty");
    earnEntry(clientId, e, "ten");
    // Neither an adjustment nor a refund is an earn.
    adjust(clientId, d, 1000, "bonus");
    refund(clientId, buy(clientId, d, LoyaltyFixtures.gift(clientId, "Mug", 500, null)));
    // Another partner's users never rank here.
    String other = partner();
    earnEntry(other, p + "-z", "hundred");

    for (String method : List.of("GET", "POST")) {
      asServer(clientId)
          .request(method, "/user/ranking")
          .then()
          .statusCode(200)
          .body("data.period", equalTo("month"))
          .body("data.ranking.user_id", contains(b, a, c, e))
          .body("data.ranking.points", contains(50, 30, 30, 10))
          .body("data.ranking.rank", contains(1, 2, 3, 4))
          .body("data.user", nullValue());
    }

    asServer(clientId)
        .queryParam("limit", 2)
        .queryParam("user_id", c)
        .get("/user/ranking")
        .then()
        .statusCode(200)
        .body("data.ranking.user_id", contains(b, a))
        .body("data.user.user_id", equalTo(c))
        .body("data.user.rank", equalTo(3))
        .body("data.user.points", equalTo(30));
    asServer(clientId)
        .queryParam("limit", 2)
        .queryParam("user_id", b)
        .get("/user/ranking")
        .then()
        .body("data.user.rank", equalTo(1))
        .body("data.user.points", equalTo(50));
    asServer(clientId)
        .queryParam("user_id", d)
        .get("/user/ranking")
        .then()
        .statusCode(200)
        .body("data.user.user_id", equalTo(d))
        .body("data.user.rank", nullValue())
        .body("data.user.points", equalTo(0));
    asServer(clientId)
        .queryParam("user_id", p + "-z")
        .get("/user/ranking")
        .then()
        .body("data.user.rank", nullValue());
    for (String period : List.of("day", "week", "all")) {
      asServer(clientId)
          .queryParam("period", period)
          .get("/user/ranking")
          .then()
          .statusCode(200)
          .body("data.period", equalTo(period))
          .body("data.ranking.user_id", contains(b, a, c, e));
    }
    asServer(clientId)
        .queryParam("limit", 1000)
        .get("/user/ranking")
        .then()
        .statusCode(200)
        .body("data.ranking.size()", equalTo(4));
  }

  @Test
  void rankingIsValidatedAndForServersOnly() {
    String clientId = partner();
    asServer(clientId).queryParam("period", "year").get("/user/ranking").then().statusCode(400);
    asServer(clientId).queryParam("limit", 0).get("/user/ranking").then().statusCode(400);
    asServer(clientId).queryParam("user_id", "a___b").get("/user/ranking").then().statusCode(400);
    given().get("/user/ranking").then().statusCode(401);
    asUser(clientId, "someone").get("/user/ranking").then().statusCode(403);
  }

  @Test
  void periodsFollowTheUtcCalendar() throws Exception {
    String clientId = partner();
    String p = "r" + UUID.randomUUID().toString().substring(0, 8);
    String x = p + "-x";
    String y = p + "-y";
    String z = p + "-z";
    earnEntry(clientId, x, "thirty");
    earnEntry(clientId, y, "twenty");
    backdate(earnEntry(clientId, y, "hundred"), "40 days");
    backdate(earnEntry(clientId, z, "ten"), "2 days");

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    asServer(clientId)
        .queryParam("period", "day")
        .get("/user/ranking")
        .then()
        .body("data.since", equalTo(today.atStartOfDay(ZoneOffset.UTC).toInstant().toString()))
        .body("data.ranking.user_id", contains(x, y))
        .body("data.ranking.points", contains(30, 20));
    asServer(clientId)
        .queryParam("period", "all")
        .get("/user/ranking")
        .then()
        .body("data.since", nullValue())
        .body("data.ranking.user_id", contains(y, x, z))
        .body("data.ranking.points", contains(120, 30, 10));
    asServer(clientId)
        .queryParam("period", "month")
        .queryParam("user_id", y)
        .get("/user/ranking")
        .then()
        .body(
            "data.since",
            equalTo(today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString()))
        .body("data.user.points", equalTo(20));
    asServer(clientId)
        .queryParam("period", "week")
        .queryParam("user_id", y)
        .get("/user/ranking")
        .then()
        .body("data.user.points", equalTo(20));
  }

  /** Moves an entry into the past, as if it had been earned then. */
  private void backdate(long entryId, String interval) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "update ledger_entries set created_at = now() - ?::interval where id = ?")) {
      st.setString(1, interval);
      st.setLong(2, entryId);
      st.executeUpdate();
    }
  }
}
