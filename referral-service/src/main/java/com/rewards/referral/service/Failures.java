package com.rewards.referral.service;

import java.sql.SQLException;

/** Recognises database failures that a use case turns into a client answer. */
final class Failures {
  private static final String UNIQUE_VIOLATION = "23505";

  private Failures() {}

  /** A unique key refused a write: the loser of a race the checks could not see. */
  static boolean isUniqueViolation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof org.hibernate.JDBCException jdbc
          && UNIQUE_VIOLATION.equals(jdbc.getSQLState())) {
        return true;
      }
      if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
      if (t instanceof io.vertx.pgclient.PgException pg
          && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
