package com.rewards.suite;

import static com.rewards.suite.Partner.asUser;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 11: a user who deletes their account leaves nothing personal in any service's
 * database. The user gets data in all five services first (profile, points, referral participant,
 * card, analytics drop), then deletes through document 000's route; the check reads every text
 * column of every table of every service database for the user's id, email and last name.
 */
class UserErasureTest {
  private static final List<String> DATABASES =
      List.of("auth", "loyalty", "referral", "payment", "analytics");

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
    Figures.record(
        "11", "user with data in 5 services deleted; databases scanned", 6, 6, 0, 0, "pass");
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
