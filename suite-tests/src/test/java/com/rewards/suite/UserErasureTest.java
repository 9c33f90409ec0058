package com.rewards.suite;

import static com.rewards.suite.Partner.asUser;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 11: a user who deletes their account leaves nothing personal in any service's
 * database. The user gets data in all five services first (profile, points, referral participant,
 * card, analytics drop), then deletes through document 000's route; the check reads every text
 * column of every table of every service database for the user's id, email and last name. Then the
 * deletion receipt, through the gateway, lists all five services done with what each removed.
 */
class UserErasureTest {
  private static final List<String> DATABASES =
      List.of("auth", "loyalty", "referral", "payment", "analytics");

  private static final List<String> SERVICES =
      List.of(
          "auth-service",
          "loyalty-service",
          "referral-service",
          "payment-service",
          "analytics-service");

  /**
   * Records that must name the deleted user (the id only, nothing else of them) to keep working:
   * token revocations refuse the user's tokens that have not expired yet (purged after two days),
   * and analytics drops events of deleted users that arrive late.
   */
  private static final Set<String> KEPT_BY_DESIGN =
      Set.of("token_revocations.user_id", "deleted_users.user_id");

  @Test
  void afterDeletionNoServiceDatabaseHoldsTheUsersPersonalData() throws Exception {
    Partner p = Fixtures.partner();
    Fixtures.program(p);
    Fixtures.action(p, "tap", 5);
    String key = Fixtures.referralProgramAndKey(p);
    String user = Suite.unique("erase");
    String lastName = "Erasable" + user.substring(user.length() - 6);
    String email = user + "@example.org";
    String token = Fixtures.userToken(p, user);

    Fixtures.withKey(key)
        .body(
            "{\"firstName\":\"Eve\",\"lastName\":\"" + lastName + "\",\"email\":\"" + email + "\"}")
        .put("/api/v1/" + p.clientId() + "/open/account/acc-e/user/" + user)
        .then()
        .statusCode(201);
    asUser(token)
        .body("{\"action_code\":\"tap\"}")
        .post("/generosity/store")
        .then()
        .statusCode(200);
    asUser(token)
        .body("{\"token\":\"tok_visa\"}")
        .post("/api/users/payment/")
        .then()
        .statusCode(oneOf(200, 201));
    Suite.gateway()
        .header("user-jwt-token", token)
        .body("{\"screen\":\"home\"}")
        .post("/fe/analytics/px-tracker/events/app_open/drop")
        .then()
        .statusCode(200);
    List<String> marks = List.of(user, email, lastName);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertEquals(Set.copyOf(DATABASES), holders(marks).keySet(), "data in all five"));

    asUser(token).post("/user/delete").then().statusCode(200);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> assertEquals(Map.of(), holders(marks), "personal data left"));

    // The deletion receipt: every service reported what it removed. The scan above already read
    // its rows (auth's deletion_receipts) and found none of the marks in them.
    String path = "/manage/v1/deletion-receipts/" + user;
    JsonPath[] last = new JsonPath[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              last[0] = p.server().get(path).then().statusCode(200).extract().jsonPath();
              assertTrue(last[0].getBoolean("complete"), last[0].prettify());
            });
    JsonPath receipt = last[0];
    assertEquals(SERVICES, receipt.getList("services.service"));
    for (int i = 0; i < SERVICES.size(); i++) {
      assertEquals("done", receipt.getString("services[" + i + "].status"), SERVICES.get(i));
    }
    assertEquals(1, removed(receipt, 0, "users"), "auth: the user");
    assertTrue(removed(receipt, 1, "ledger_entries") > 0, "loyalty: the earn");
    assertEquals(1, removed(receipt, 1, "accounts"), "loyalty: the account");
    assertEquals(1, removed(receipt, 2, "participants"), "referral: the participant");
    assertTrue(removed(receipt, 3, "cards") > 0, "payment: the card");
    assertEquals(1, removed(receipt, 3, "customers"), "payment: the customer");
    assertTrue(removed(receipt, 4, "user_daily") > 0, "analytics: the drop's day");
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest((p.clientId() + "___" + user).getBytes(StandardCharsets.UTF_8)));
    assertEquals(hash, receipt.getString("user_id_hash"));
    for (String mark : marks) {
      assertFalse(receipt.prettify().contains(mark), "the receipt names " + mark);
    }
    // Only the partner's own server: another partner's gets the 404 of an unknown user.
    Fixtures.partner()
        .server()
        .get(path)
        .then()
        .statusCode(404)
        .body("code", equalTo("RECORD_NOT_FOUND"));
    asUser(Fixtures.userToken(p, Suite.unique("other"))).get(path).then().statusCode(403);
    Figures.record(
        "11",
        "user with data in 5 services deleted; databases scanned; deletion receipt of 5 services",
        6,
        6,
        0,
        0,
        "pass");
  }

  private static int removed(JsonPath receipt, int service, String table) {
    Integer n = receipt.get("services[" + service + "].removed." + table);
    if (n == null) {
      throw new AssertionError(
          SERVICES.get(service) + " reports no " + table + ": " + receipt.prettify());
    }
    return n;
  }

  /** database -> "table.column (rows)" holding any of the marks, over every text-like column. */
  private static Map<String, List<String>> holders(List<String> marks) throws SQLException {
    Map<String, List<String>> found = new LinkedHashMap<>();
    for (String name : DATABASES) {
      try (Connection db = Suite.database(name)) {
        List<String[]> columns = new ArrayList<>();
        try (var rs =
            db.createStatement()
                .executeQuery(
                    "select table_name, column_name from information_schema.columns"
                        + " where table_schema = 'public' and table_name <> 'flyway_schema_history'"
                        + " and data_type in ('text', 'character varying', 'json', 'jsonb')")) {
          while (rs.next()) {
            columns.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
        for (String[] c : columns) {
          for (String mark : marks) {
            try (var q =
                db.prepareStatement(
                    "select count(*) from \"" + c[0] + "\" where \"" + c[1] + "\"::text like ?")) {
              q.setString(1, "%" + mark + "%");
              try (var rs = q.executeQuery()) {
                rs.next();
                long rows = rs.getLong(1);
                if (rows > 0
                    && !(mark.equals(marks.get(0)) && KEPT_BY_DESIGN.contains(c[0] + "." + c[1]))) {
                  found
                      .computeIfAbsent(name, k -> new ArrayList<>())
                      .add(c[0] + "." + c[1] + " (" + rows + " rows with " + mark + ")");
                }
              }
            }
          }
        }
      }
    }
    return found;
  }
}
