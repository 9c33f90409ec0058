package com.rewards.analytics.service;

import com.rewards.analytics.domain.Activity;
import com.rewards.analytics.domain.Aggregates;
import com.rewards.analytics.domain.Metric;
import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.platform.event.UserErasures;
import com.rewards.platform.security.TokenRevocations;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Adds what a consumed event means to the aggregates. Runs inside the consumer's transaction (with
 * its inbox row), so it opens none itself. Users are written first, in id order and each under its
 * user lock, and the program's row last: the hot per-partner row stays locked as briefly as
 * possible and two transactions never take locks in opposite orders.
 */
@ApplicationScoped
public class ParticipationRecorder {
  private final Aggregates aggregates;
  private final TokenRevocations revocations;
  private final UserErasures erasures;

  public ParticipationRecorder(
      Aggregates aggregates, TokenRevocations revocations, UserErasures erasures) {
    this.aggregates = aggregates;
    this.revocations = revocations;
    this.erasures = erasures;
  }

  public Uni<Void> record(Activity activity) {
    return recordAll(List.of(activity));
  }

  /**
   * Records the activities of one transaction (a whole poll of a batch consumer) in the order every
   * transaction takes its locks: all users by (partner, user), then each program day's row before
   * the counts of its dropped events, by (partner, day, event id). A user's writes stay per event,
   * because whether one counts depends on the event's own time against the user's deletion; the
   * program's counters are summed per day first, one upsert each.
   */
  public Uni<Void> recordAll(List<Activity> activities) {
    List<UserWork> users = new ArrayList<>();
    Map<ProgramDay, Map<Metric, Long>> programs = new TreeMap<>();
    Map<ProgramDay, Map<String, Long>> drops = new TreeMap<>();
    for (Activity activity : activities) {
      ProgramDay programDay = new ProgramDay(activity.clientId(), activity.day());
      Map<Metric, Long> program =
          programs.computeIfAbsent(programDay, k -> new EnumMap<>(Metric.class));
      activity.program().forEach((metric, value) -> program.merge(metric, value, Long::sum));
      if (activity.droppedEventId() != null) {
        drops
            .computeIfAbsent(programDay, k -> new TreeMap<>())
            .merge(activity.droppedEventId(), 1L, Long::sum);
      }
      for (Activity.UserActivity user : activity.users()) {
        if (user.userId() != null && (!user.metrics().isEmpty() || user.active())) {
          users.add(new UserWork(activity, user));
        }
      }
    }
    users.sort(UserWork.LOCK_ORDER);
    List<Supplier<Uni<Void>>> steps = new ArrayList<>();
    for (int from = 0, to; from < users.size(); from = to) {
      UserWork first = users.get(from);
      to = from + 1;
      while (to < users.size() && UserWork.LOCK_ORDER.compare(first, users.get(to)) == 0) {
        to++;
      }
      recordUser(users.subList(from, to), steps);
    }
    programs.forEach(
        (key, metrics) -> {
          steps.add(() -> aggregates.addProgram(key.clientId(), key.day(), metrics));
          drops
              .getOrDefault(key, Map.of())
              .forEach(
                  (eventId, dropped) ->
                      steps.add(
                          () ->
                              aggregates.addProgramEvent(
                                  key.clientId(), key.day(), eventId, dropped)));
        });
    return InOrder.run(steps);
  }

  /**
   * One user's events of the transaction, under their lock. Counters and drops are written per
   * event; an active day once, with the day's latest event time: the deletion check ({@code
   * deleted_at >= at}) that fails for the latest fails for every earlier one too.
   */
  private void recordUser(List<UserWork> works, List<Supplier<Uni<Void>>> steps) {
    String clientId = works.get(0).activity().clientId();
    String userId = works.get(0).user().userId();
    steps.add(() -> aggregates.lockUser(clientId, userId));
    Map<LocalDate, Instant> activeDays = new TreeMap<>();
    for (UserWork work : works) {
      Activity activity = work.activity();
      Map<Metric, Long> metrics = work.user().metrics();
      LocalDate day = activity.day();
      Instant at = activity.at();
      steps.add(() -> aggregates.addUser(clientId, userId, day, at, metrics));
      if (activity.droppedEventId() != null && metrics.containsKey(Metric.EVENTS_DROPPED)) {
        steps.add(
            () -> aggregates.addUserEvent(clientId, userId, day, at, activity.droppedEventId()));
      }
      if (work.user().active()) {
        activeDays.merge(day, at, (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    activeDays.forEach(
        (day, at) -> steps.add(() -> aggregates.markActive(clientId, userId, day, at)));
  }

  private record ProgramDay(String clientId, LocalDate day) implements Comparable<ProgramDay> {
    private static final Comparator<ProgramDay> ORDER =
        Comparator.comparing(ProgramDay::clientId).thenComparing(ProgramDay::day);

    @Override
    public int compareTo(ProgramDay other) {
      return ORDER.compare(this, other);
    }
  }

  private record UserWork(Activity activity, Activity.UserActivity user) {
    /** Stable: one user's events keep their order. */
    static final Comparator<UserWork> LOCK_ORDER =
        Comparator.comparing((UserWork w) -> w.activity().clientId())
            .thenComparing(w -> w.user().userId());
  }

  /**
   * UserDeleted: the user's rows go, their tokens stop working here, and program counts stay
   * (anonymous); what was done is reported for auth's deletion receipt ({@code
   * analytics.user.erased.v1}, through the outbox in this transaction).
   */
  public Uni<Void> forget(String deletionId, String clientId, String userId, Instant deletedAt) {
    return aggregates
        .lockUser(clientId, userId)
        .chain(() -> aggregates.forgetUser(clientId, userId, deletedAt))
        .call(() -> revocations.record(clientId, userId, deletedAt))
        .call(
            forgotten ->
                erasures.completed(
                    AnalyticsEvents.ERASURES_TOPIC,
                    AnalyticsEvents.USER_ERASED,
                    deletionId,
                    clientId,
                    userId,
                    deletedAt,
                    forgotten.removed(),
                    forgotten.anonymised()))
        .replaceWithVoid();
  }
}
