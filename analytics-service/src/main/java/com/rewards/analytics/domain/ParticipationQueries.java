package com.rewards.analytics.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads of the aggregates, straight through the reactive pool (no transaction needed). Every query
 * groups by bucket in SQL; a null granularity means one bucket for the whole range, keyed by its
 * first day. The bucket expression is built from {@link Granularity}, never from input.
 */
@ApplicationScoped
public class ParticipationQueries {
  private static final List<Metric> USER_METRICS =
      Arrays.stream(Metric.values()).filter(Metric::perUser).toList();
  private static final List<Metric> PROGRAM_METRICS = List.of(Metric.values());

  private final Pool pool;

  public ParticipationQueries(Pool pool) {
    this.pool = pool;
  }

  /** Where {@code from} and {@code to} are $2 and $3 (or $3 and $4 with a user). */
  private static String bucket(Granularity g, int fromParam) {
    return g == null
        ? "$" + fromParam + "::date"
        : "date_trunc('" + g.unit() + "', day::timestamp)::date";
  }

  public Uni<Map<LocalDate, Map<Metric, Long>>> userMetrics(
      String clientId, String userId, LocalDate from, LocalDate to, Granularity g) {
    return metrics(
        "user_daily",
        "client_id = $1 and user_id = $2 and day between $3 and $4",
        bucket(g, 3),
        USER_METRICS,
        Tuple.of(clientId, userId, from, to));
  }

  public Uni<Map<LocalDate, Map<Metric, Long>>> programMetrics(
      String clientId, LocalDate from, LocalDate to, Granularity g) {
    return metrics(
        "partner_daily",
        "client_id = $1 and day between $2 and $3",
        bucket(g, 2),
        PROGRAM_METRICS,
        Tuple.of(clientId, from, to));
  }

  private Uni<Map<LocalDate, Map<Metric, Long>>> metrics(
      String table, String where, String bucket, List<Metric> metrics, Tuple args) {
    String sums =
        metrics.stream()
            .map(m -> "sum(" + m.column() + ")::bigint")
            .collect(Collectors.joining(", "));
    String sql =
        "select "
            + bucket
            + " as bucket, "
            + sums
            + " from "
            + table
            + " where "
            + where
            + " group by 1";
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              Map<LocalDate, Map<Metric, Long>> out = new HashMap<>();
              for (Row row : rows) {
                Map<Metric, Long> values = new EnumMap<>(Metric.class);
                for (int i = 0; i < metrics.size(); i++) {
                  values.put(metrics.get(i), row.getLong(i + 1));
                }
                out.put(row.getLocalDate(0), values);
              }
              return out;
            });
  }

  /** Drops per event id in each bucket, most dropped first, at most {@code limit} ids each. */
  public Uni<Map<LocalDate, Map<String, Long>>> userEventIds(
      String clientId, String userId, LocalDate from, LocalDate to, Granularity g, int limit) {
    return eventIds(
        "user_event_daily",
        "client_id = $1 and user_id = $2 and day between $3 and $4",
        bucket(g, 3),
        Tuple.of(clientId, userId, from, to, limit),
        5);
  }

  public Uni<Map<LocalDate, Map<String, Long>>> programEventIds(
      String clientId, LocalDate from, LocalDate to, Granularity g, int limit) {
    return eventIds(
        "partner_event_daily",
        "client_id = $1 and day between $2 and $3",
        bucket(g, 2),
        Tuple.of(clientId, from, to, limit),
        4);
  }

  private Uni<Map<LocalDate, Map<String, Long>>> eventIds(
      String table, String where, String bucket, Tuple args, int limitParam) {
    String sql =
        "select bucket, event_id, n from (select "
            + bucket
            + " as bucket, event_id, sum(dropped)::bigint as n, row_number() over (partition by "
            + bucket
            + " order by sum(dropped) desc, event_id) as rn from "
            + table
            + " where "
            + where
            + " group by 1, 2) ranked where rn <= $"
            + limitParam
            + " order by bucket, n desc, event_id";
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              Map<LocalDate, Map<String, Long>> out = new HashMap<>();
              for (Row row : rows) {
                out.computeIfAbsent(row.getLocalDate(0), d -> new LinkedHashMap<>())
                    .put(row.getString(1), row.getLong(2));
              }
              return out;
            });
  }

  /** Days on which the user was active, per bucket. */
  public Uni<Map<LocalDate, Long>> userActiveDays(
      String clientId, String userId, LocalDate from, LocalDate to, Granularity g) {
    return counts(
        "select "
            + bucket(g, 3)
            + ", count(*) from daily_actives where client_id = $1 and actor = $2"
            + " and day between $3 and $4 group by 1",
        Tuple.of(clientId, userId, from, to));
  }

  /** Distinct users active in each bucket (a user active on three days of a week counts once). */
  public Uni<Map<LocalDate, Long>> programActiveUsers(
      String clientId, LocalDate from, LocalDate to, Granularity g) {
    return counts(
        "select "
            + bucket(g, 2)
            + ", count(distinct actor) from daily_actives where client_id = $1"
            + " and day between $2 and $3 group by 1",
        Tuple.of(clientId, from, to));
  }

  private Uni<Map<LocalDate, Long>> counts(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              Map<LocalDate, Long> out = new HashMap<>();
              for (Row row : rows) {
                out.put(row.getLocalDate(0), row.getLong(1));
              }
              return out;
            });
  }
}
