package com.rewards.analytics.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.analytics.domain.Granularity;
import com.rewards.analytics.domain.Metric;
import com.rewards.analytics.domain.ParticipationQueries;
import com.rewards.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Participation history in UTC day, ISO week or month buckets. Every bucket of the range is listed,
 * empty ones with zeros; the first and last are cut to the range, so a week bucket may start after
 * its Monday or end before its Sunday.
 */
@ApplicationScoped
public class ParticipationService {
  private static final int DEFAULT_SPAN_DAYS = 30;

  private final ParticipationQueries queries;
  private final int maxSpanDays;
  private final int maxEventIds;

  /** A validated request: {@code from} and {@code to} inclusive. */
  public record Range(LocalDate from, LocalDate to, Granularity granularity) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Figures(
      LocalDate start,
      LocalDate end,
      long eventsDropped,
      Map<String, Long> eventsById,
      long actionsCompleted,
      long pointsEarned,
      long pointsBurned,
      long giftsRedeemed,
      long referralsApplied,
      long referralsConverted,
      long chargesSucceeded,
      Long activeDays,
      Long activeUsers,
      Long newUsers) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record History(
      LocalDate from,
      LocalDate to,
      String granularity,
      String timezone,
      List<Figures> buckets,
      Figures totals) {}

  public ParticipationService(
      ParticipationQueries queries,
      @ConfigProperty(name = "rewards.analytics.history.max-span-days") int maxSpanDays,
      @ConfigProperty(name = "rewards.analytics.history.max-event-ids") int maxEventIds) {
    this.queries = queries;
    this.maxSpanDays = maxSpanDays;
    this.maxEventIds = maxEventIds;
  }

  /** Defaults: {@code to} today (UTC), {@code from} 30 days before, granularity day. */
  public Range range(String from, String to, String granularity) {
    Granularity g = Granularity.parse(granularity);
    if (g == null) {
      throw ApiException.badRequest("granularity must be day, week or month.");
    }
    LocalDate end = to == null || to.isBlank() ? LocalDate.now(ZoneOffset.UTC) : date(to, "to");
    LocalDate start =
        from == null || from.isBlank() ? end.minusDays(DEFAULT_SPAN_DAYS - 1) : date(from, "from");
    if (start.isAfter(end)) {
      throw ApiException.badRequest("from must not be after to.");
    }
    if (ChronoUnit.DAYS.between(start, end) + 1 > maxSpanDays) {
      throw ApiException.badRequest("The range spans at most " + maxSpanDays + " days.");
    }
    return new Range(start, end, g);
  }

  public Uni<History> user(String clientId, String userId, Range r) {
    Granularity g = r.granularity();
    return Uni.combine()
        .all()
        .unis(
            queries.userMetrics(clientId, userId, r.from(), r.to(), g),
            queries.userEventIds(clientId, userId, r.from(), r.to(), g, maxEventIds),
            queries.userActiveDays(clientId, userId, r.from(), r.to(), g),
            queries.userEventIds(clientId, userId, r.from(), r.to(), null, maxEventIds),
            queries.userActiveDays(clientId, userId, r.from(), r.to(), null))
        .with(
            (metrics, eventIds, active, totalEventIds, totalActive) ->
                history(
                    r,
                    metrics,
                    eventIds,
                    active,
                    totalEventIds.getOrDefault(r.from(), Map.of()),
                    totalActive.getOrDefault(r.from(), 0L),
                    false));
  }

  public Uni<History> program(String clientId, Range r) {
    Granularity g = r.granularity();
    return Uni.combine()
        .all()
        .unis(
            queries.programMetrics(clientId, r.from(), r.to(), g),
            queries.programEventIds(clientId, r.from(), r.to(), g, maxEventIds),
            queries.programActiveUsers(clientId, r.from(), r.to(), g),
            queries.programEventIds(clientId, r.from(), r.to(), null, maxEventIds),
            queries.programActiveUsers(clientId, r.from(), r.to(), null))
        .with(
            (metrics, eventIds, active, totalEventIds, totalActive) ->
                history(
                    r,
                    metrics,
                    eventIds,
                    active,
                    totalEventIds.getOrDefault(r.from(), Map.of()),
                    totalActive.getOrDefault(r.from(), 0L),
                    true));
  }

  private History history(
      Range r,
      Map<LocalDate, Map<Metric, Long>> metrics,
      Map<LocalDate, Map<String, Long>> eventIds,
      Map<LocalDate, Long> active,
      Map<String, Long> totalEventIds,
      long totalActive,
      boolean program) {
    Granularity g = r.granularity();
    List<Figures> buckets = new ArrayList<>();
    Map<Metric, Long> totals = new EnumMap<>(Metric.class);
    for (LocalDate start = g.start(r.from()); !start.isAfter(r.to()); start = g.next(start)) {
      Map<Metric, Long> m = metrics.getOrDefault(start, Map.of());
      m.forEach((metric, value) -> totals.merge(metric, value, Long::sum));
      LocalDate first = start.isBefore(r.from()) ? r.from() : start;
      LocalDate last = g.next(start).minusDays(1);
      buckets.add(
          figures(
              first,
              last.isAfter(r.to()) ? r.to() : last,
              m,
              eventIds.getOrDefault(start, Map.of()),
              active.getOrDefault(start, 0L),
              program));
    }
    return new History(
        r.from(),
        r.to(),
        g.unit(),
        "UTC",
        buckets,
        figures(null, null, totals, totalEventIds, totalActive, program));
  }

  private static Figures figures(
      LocalDate start,
      LocalDate end,
      Map<Metric, Long> m,
      Map<String, Long> eventIds,
      long active,
      boolean program) {
    return new Figures(
        start,
        end,
        m.getOrDefault(Metric.EVENTS_DROPPED, 0L),
        eventIds,
        m.getOrDefault(Metric.ACTIONS_COMPLETED, 0L),
        m.getOrDefault(Metric.POINTS_EARNED, 0L),
        m.getOrDefault(Metric.POINTS_BURNED, 0L),
        m.getOrDefault(Metric.GIFTS_REDEEMED, 0L),
        m.getOrDefault(Metric.REFERRALS_APPLIED, 0L),
        m.getOrDefault(Metric.REFERRALS_CONVERTED, 0L),
        m.getOrDefault(Metric.CHARGES_SUCCEEDED, 0L),
        program ? null : active,
        program ? active : null,
        program ? m.getOrDefault(Metric.NEW_USERS, 0L) : null);
  }

  private static LocalDate date(String value, String name) {
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name + " must be a date (YYYY-MM-DD).");
    }
  }
}
