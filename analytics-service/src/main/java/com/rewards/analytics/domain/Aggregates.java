package com.rewards.analytics.domain;

import com.rewards.platform.event.UserErasures;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes of the daily aggregates, inside the consumer's transaction. Counters are added with
 * upserts, so concurrent consumers of different topics meet on a row lock instead of losing an
 * update. Column names come from {@link Metric}, never from input.
 */
@ApplicationScoped
public class Aggregates {
  /** Anonymous actors start with a character no user id of the platform contains. */
  static final String ANONYMOUS_PREFIX = "#";

  private static final String NOT_DELETED =
      " where not exists (select 1 from deleted_users where client_id = :c and user_id = :u"
          + " and deleted_at >= :at)";

  /** A deleted user's own rows besides {@code user_daily}, bound to {@code :c} and {@code :u}. */
  private static final Map<String, String> PERSONAL_ROWS =
      Map.of(
          "user_event_daily",
          "delete from user_event_daily where client_id = :c and user_id = :u",
          "px_client_events",
          "delete from px_client_events where client_id = :c and user_id = :u");

  private final UserDayRepository userDays;

  public Aggregates(UserDayRepository userDays) {
    this.userDays = userDays;
  }

  /**
   * Serializes a user's statistics writes with their deletion for the rest of the transaction, so a
   * late event and the UserDeleted cannot interleave and leave a row behind.
   */
  public Uni<Void> lockUser(String clientId, String userId) {
    return session()
        .chain(
            s ->
                s.createNativeQuery(
                        "select 1 from pg_advisory_xact_lock(hashtextextended(:k, 0))",
                        Integer.class)
                    .setParameter("k", clientId + "___" + userId)
                    .getSingleResult())
        .replaceWithVoid();
  }

  /** Adds to the user's day unless the user was deleted after {@code at}. */
  public Uni<Void> addUser(
      String clientId, String userId, LocalDate day, Instant at, Map<Metric, Long> metrics) {
    List<Metric> columns = new ArrayList<>(metrics.keySet());
    if (columns.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String sql =
        "insert into user_daily (client_id, user_id, day, "
            + names(columns)
            + ") select :c, :u, cast(:d as date), "
            + values(columns)
            + NOT_DELETED
            + " on conflict (client_id, user_id, day) do update set "
            + increments("user_daily", columns);
    return session()
        .chain(
            s -> {
              var q =
                  s.createNativeQuery(sql)
                      .setParameter("c", clientId)
                      .setParameter("u", userId)
                      .setParameter("d", day)
                      .setParameter("at", utc(at));
              for (int i = 0; i < columns.size(); i++) {
                q.setParameter("v" + i, metrics.get(columns.get(i)));
              }
              return q.executeUpdate();
            })
        .replaceWithVoid();
  }

  public Uni<Void> addUserEvent(
      String clientId, String userId, LocalDate day, Instant at, String eventId) {
    return session()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into user_event_daily (client_id, user_id, day, event_id, dropped)"
                            + " select :c, :u, cast(:d as date), :e, 1"
                            + NOT_DELETED
                            + " on conflict (client_id, user_id, day, event_id)"
                            + " do update set dropped = user_event_daily.dropped + 1")
                    .setParameter("c", clientId)
                    .setParameter("u", userId)
                    .setParameter("d", day)
                    .setParameter("e", eventId)
                    .setParameter("at", utc(at))
                    .executeUpdate())
        .replaceWithVoid();
  }

  public Uni<Void> markActive(String clientId, String userId, LocalDate day, Instant at) {
    return session()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into daily_actives (client_id, day, actor) select :c, cast(:d as date), :u"
                            + NOT_DELETED
                            + " on conflict do nothing")
                    .setParameter("c", clientId)
                    .setParameter("u", userId)
                    .setParameter("d", day)
                    .setParameter("at", utc(at))
                    .executeUpdate())
        .replaceWithVoid();
  }

  public Uni<Void> addProgram(String clientId, LocalDate day, Map<Metric, Long> metrics) {
    List<Metric> columns = new ArrayList<>(metrics.keySet());
    if (columns.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String sql =
        "insert into partner_daily (client_id, day, "
            + names(columns)
            + ") values (:c, :d, "
            + values(columns)
            + ") on conflict (client_id, day) do update set "
            + increments("partner_daily", columns);
    return session()
        .chain(
            s -> {
              var q = s.createNativeQuery(sql).setParameter("c", clientId).setParameter("d", day);
              for (int i = 0; i < columns.size(); i++) {
                q.setParameter("v" + i, metrics.get(columns.get(i)));
              }
              return q.executeUpdate();
            })
        .replaceWithVoid();
  }

  /** Adds {@code dropped} drops of one app event to the program's day. */
  public Uni<Void> addProgramEvent(String clientId, LocalDate day, String eventId, long dropped) {
    return session()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into partner_event_daily (client_id, day, event_id, dropped)"
                            + " values (:c, :d, :e, :n) on conflict (client_id, day, event_id)"
                            + " do update set dropped = partner_event_daily.dropped + excluded.dropped")
                    .setParameter("c", clientId)
                    .setParameter("d", day)
                    .setParameter("e", eventId)
                    .setParameter("n", dropped)
                    .executeUpdate())
        .replaceWithVoid();
  }

  /**
   * Removes every row of the user and remembers the deletion. The user's active days stay in the
   * program's counts under a fresh random actor: the count of distinct active users over a week or
   * a month is unchanged, and nothing left names the user. Call after {@link #lockUser}.
   */
  public Uni<Forgotten> forgetUser(String clientId, String userId, Instant deletedAt) {
    String anonymous = ANONYMOUS_PREFIX + UUID.randomUUID();
    Map<String, Integer> removed = new LinkedHashMap<>();
    Map<String, Integer> anonymised = new LinkedHashMap<>();
    return userDays
        .deleteUser(clientId, userId)
        .invoke(n -> removed.put("user_daily", n.intValue()))
        .chain(() -> UserErasures.run(PERSONAL_ROWS, clientId, userId))
        .invoke(removed::putAll)
        .chain(Aggregates::session)
        .chain(
            s ->
                s.createNativeQuery(
                        "update daily_actives set actor = :a"
                            + " where client_id = :c and actor = :u")
                    .setParameter("a", anonymous)
                    .setParameter("c", clientId)
                    .setParameter("u", userId)
                    .executeUpdate()
                    .invoke(n -> anonymised.put("daily_actives", n))
                    .chain(
                        () ->
                            s.createNativeQuery(
                                    "insert into deleted_users (client_id, user_id, deleted_at)"
                                        + " values (:c, :u, :at) on conflict (client_id, user_id)"
                                        + " do update set deleted_at = greatest("
                                        + "deleted_users.deleted_at, excluded.deleted_at)")
                                .setParameter("c", clientId)
                                .setParameter("u", userId)
                                .setParameter("at", utc(deletedAt))
                                .executeUpdate()))
        .replaceWith(() -> new Forgotten(removed, anonymised));
  }

  /** What {@link #forgetUser} did: rows deleted and rows re-keyed to a random actor, per table. */
  public record Forgotten(Map<String, Integer> removed, Map<String, Integer> anonymised) {}

  private static Uni<Mutiny.Session> session() {
    return Panache.getSession();
  }

  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }

  private static String names(List<Metric> columns) {
    return columns.stream().map(Metric::column).collect(Collectors.joining(", "));
  }

  /** Typed, because in {@code insert ... select} PostgreSQL cannot infer a parameter's type. */
  private static String values(List<Metric> columns) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      names.add("cast(:v" + i + " as bigint)");
    }
    return String.join(", ", names);
  }

  private static String increments(String table, List<Metric> columns) {
    return columns.stream()
        .map(m -> m.column() + " = " + table + "." + m.column() + " + excluded." + m.column())
        .collect(Collectors.joining(", "));
  }
}
