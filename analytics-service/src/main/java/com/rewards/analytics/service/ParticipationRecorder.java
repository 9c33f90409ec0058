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
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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
    LocalDate day = activity.day();
    List<Activity.UserActivity> users =
        activity.users().stream()
            .filter(u -> u.userId() != null)
            .sorted(Comparator.comparing(Activity.UserActivity::userId))
            .toList();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Activity.UserActivity user : users) {
      chain = chain.chain(() -> recordUser(activity, user, day));
    }
    return chain
        .chain(() -> aggregates.addProgram(activity.clientId(), day, activity.program()))
        .chain(
            () ->
                activity.droppedEventId() == null
                    ? Uni.createFrom().voidItem()
                    : aggregates.addProgramEvent(
                        activity.clientId(), day, activity.droppedEventId()));
  }

  private Uni<Void> recordUser(Activity activity, Activity.UserActivity user, LocalDate day) {
    String clientId = activity.clientId();
    Instant at = activity.at();
    Map<Metric, Long> metrics = user.metrics();
    boolean dropped =
        activity.droppedEventId() != null && metrics.containsKey(Metric.EVENTS_DROPPED);
    if (metrics.isEmpty() && !user.active()) {
      return Uni.createFrom().voidItem();
    }
    return aggregates
        .lockUser(clientId, user.userId())
        .chain(() -> aggregates.addUser(clientId, user.userId(), day, at, metrics))
        .chain(
            () ->
                dropped
                    ? aggregates.addUserEvent(
                        clientId, user.userId(), day, at, activity.droppedEventId())
                    : Uni.createFrom().voidItem())
        .chain(
            () ->
                user.active()
                    ? aggregates.markActive(clientId, user.userId(), day, at)
                    : Uni.createFrom().voidItem());
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
