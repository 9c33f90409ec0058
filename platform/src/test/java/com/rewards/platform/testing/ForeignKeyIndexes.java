package com.rewards.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every foreign key must lead an index. Deleting or re-keying a referenced row makes PostgreSQL
 * find the referencing rows; without such an index it scans the whole referencing table, once per
 * row deleted (erasing a user with a thousand ledger entries meant a thousand full scans). Each
 * service runs it against its migrated database with a {@code @QuarkusTest} subclass.
 */
public abstract class ForeignKeyIndexes {
  private static final String UNINDEXED =
      "select c.conrelid::regclass || '(' || array_to_string(array("
          + " select a.attname from unnest(c.conkey) k join pg_attribute a"
          + " on a.attrelid = c.conrelid and a.attnum = k), ', ')"
          + " || ') -> ' || c.confrelid::regclass"
          + " from pg_constraint c where c.contype = 'f'"
          + " and c.connamespace = 'public'::regnamespace"
          + " and not exists (select 1 from pg_index i where i.indrelid = c.conrelid"
          + " and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey)"
          + " order by 1";

  @Inject protected DataSource db;

  @Test
  void everyForeignKeyLeadsAnIndex() {
    assertEquals(List.of(), missing(db));
  }

  /**
   * Each as {@code table(columns) -> referenced table}; empty when every foreign key is indexed.
   */
  private static List<String> missing(DataSource db) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(UNINDEXED)) {
      List<String> missing = new ArrayList<>();
      while (rs.next()) {
        missing.add(rs.getString(1));
      }
      return missing;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the foreign keys", e);
    }
  }
}
