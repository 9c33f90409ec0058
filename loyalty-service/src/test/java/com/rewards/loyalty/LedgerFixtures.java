package com.rewards.loyalty;

import static io.restassured.RestAssured.given;

import com.rewards.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Seeds programs, actions and gifts straight into the loyalty database (the write-side tests are
 * about the ledger, not the catalog API), and reads back what the ledger holds.
 */
final class LedgerFixtures {
  private final AgroalDataSource db;

  LedgerFixtures(AgroalDataSource db) {
    this.db = db;
  }

  static String newClientId() {
    return "p-" + UUID.randomUUID();
  }

  static String newUserId() {
    return "u-" + UUID.randomUUID();
  }

  void program(String clientId, Integer expiryDays, int pendingDays, Long dailyCap) {
    update(
        "insert into programs (client_id, name, expiry_days, pending_days, daily_points_cap)"
            + " values (?, 'Test program', ?, ?, ?)",
        clientId,
        expiryDays,
        pendingDays,
        dailyCap);
  }

  void action(String clientId, String code, long points, Integer maxPerUser, Integer maxPerDay) {
    update(
        "insert into actions (id, client_id, code, name, points, max_per_user, max_per_user_day)"
            + " values (?, ?, ?, ?, ?, ?, ?)",
        UUID.randomUUID(),
        clientId,
        code,
        "Action " + code,
        points,
        maxPerUser,
        maxPerDay);
  }

  UUID gift(String clientId, long cost, Integer stock, Integer maxPerUser) {
    UUID id = UUID.randomUUID();
    update(
        "insert into gifts (id, client_id, name, cost, stock, max_per_user) values (?, ?, ?, ?, ?, ?)",
        id,
        clientId,
        "Gift " + cost,
        cost,
        stock,
        maxPerUser);
    return id;
  }

  long balance(String clientId, String userId) {
    return single(
        "select coalesce(max(balance), 0) from accounts where client_id = ? and user_id = ?",
        clientId,
        userId);
  }

  long pending(String clientId, String userId) {
    return single(
        "select coalesce(max(pending), 0) from accounts where client_id = ? and user_id = ?",
        clientId,
        userId);
  }

  long ledgerSum(String clientId, String userId) {
    return single(
        "select coalesce(sum(points), 0) from ledger_entries where client_id = ? and user_id = ?",
        clientId,
        userId);
  }

  long count(String table, String clientId, String userId) {
    return single(
        "select count(*) from " + table + " where client_id = ? and user_id = ?", clientId, userId);
  }

  long stock(UUID giftId) {
    return single("select stock from gifts where id = ?", giftId);
  }

  /** Earns {@code code} for the user through the real endpoint, expecting success. */
  static void earn(String clientId, String userId, String code) {
    given()
        .auth()
        .oauth2(TestTokens.user(clientId, userId))
        .contentType(ContentType.JSON)
        .body(Map.of("action_code", code))
        .post("/generosity/store")
        .then()
        .statusCode(200);
  }

  /** Gives the user {@code points} through a manual adjustment. */
  static void grant(String clientId, String userId, long points) {
    given()
        .auth()
        .oauth2(TestTokens.server(clientId))
        .contentType(ContentType.JSON)
        .body(Map.of("points", points, "reason", "test grant"))
        .post("/manage/v1/users/" + userId + "/adjustments")
        .then()
        .statusCode(200);
  }

  long single(String sql, Object... args) {
    try (Connection c = db.getConnection();
        PreparedStatement st = prepare(c, sql, List.of(args))) {
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  void update(String sql, Object... args) {
    try (Connection c = db.getConnection();
        PreparedStatement st = prepare(c, sql, java.util.Arrays.asList(args))) {
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> args)
      throws SQLException {
    PreparedStatement st = c.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      st.setObject(i + 1, args.get(i));
    }
    return st;
  }
}
