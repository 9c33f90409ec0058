package com.rewards.loyalty.domain;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

/**
 * Plain SQL ({@code $1} parameters) on the current Hibernate Reactive session's own connection, so
 * inside its open transaction, without Hibernate's query parsing, entity hydration and dirty
 * checking. The hot write paths (earn, burn) use it: Hibernate's machinery cost more JVM CPU per
 * statement than the statement cost PostgreSQL (bench/LEDGER.md). Rows read here are not managed
 * entities, so nothing read here is flushed back by Hibernate; the caller writes what it changes.
 *
 * <p>Values: bind {@code OffsetDateTime} for timestamptz (not {@code Instant}), {@code Long[]} for
 * bigint[]; rows come back as the Vert.x client decodes them ({@code Long}, {@code String}, {@code
 * OffsetDateTime}, {@code UUID}, ...).
 */
public final class SessionSql {
  private SessionSql() {}

  /** The rows of a query. */
  public static Uni<List<Object[]>> rows(String sql, Object... params) {
    return connection()
        .chain(c -> Uni.createFrom().completionStage(() -> c.select(sql, params)))
        .map(
            result -> {
              List<Object[]> rows = new ArrayList<>(result.size());
              result.forEachRemaining(rows::add);
              return rows;
            });
  }

  /** The first row of a query, or null. */
  public static Uni<Object[]> row(String sql, Object... params) {
    return rows(sql, params).map(rows -> rows.isEmpty() ? null : rows.get(0));
  }

  /** Runs a statement; answers the rows it changed. */
  public static Uni<Integer> update(String sql, Object... params) {
    return connection().chain(c -> Uni.createFrom().completionStage(() -> c.update(sql, params)));
  }

  private static Uni<ReactiveConnection> connection() {
    return Panache.getSession()
        .map(
            session -> {
              // Hibernate Reactive's own session class exposes its connection; Panache hands out
              // that class. Anything else (a future wrapper) fails loudly here, in every test.
              if (session instanceof MutinySessionImpl impl) {
                return impl.getReactiveConnection();
              }
              throw new IllegalStateException(
                  "Unexpected session type " + session.getClass().getName());
            });
  }
}
