package com.rewards.analytics.messaging;

import static com.rewards.analytics.messaging.Activities.add;
import static com.rewards.analytics.messaging.Activities.none;
import static com.rewards.analytics.messaging.Activities.user;

import com.rewards.analytics.domain.Activity;
import com.rewards.analytics.domain.Metric;
import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.analytics.event.IncomingEvent;
import com.rewards.analytics.event.MalformedEventException;
import com.rewards.analytics.service.ParticipationRecorder;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Points earned and burned. An earn for an action is an action completed and shows the user active;
 * earns from referrals or grants add points but are not the user's doing. Expiries and adjustments
 * are not participation and are skipped.
 */
@ApplicationScoped
public class LedgerConsumer {
  static final String CONSUMER = "analytics-service.ledger";
  static final String SOURCE_ACTION = "action";

  private final EventIntake intake;
  private final ParticipationRecorder recorder;

  public LedgerConsumer(EventIntake intake, ParticipationRecorder recorder) {
    this.intake = intake;
    this.recorder = recorder;
  }

  /** A whole poll at a time (one transaction): every earn and burn of the platform comes here. */
  @Incoming("ledger")
  @WithTransaction
  public Uni<Void> consume(ConsumerRecords<String, String> records) {
    return intake.acceptAll(CONSUMER, records, LedgerConsumer::activity, recorder::recordAll);
  }

  private static Activity activity(IncomingEvent event) {
    Map<Metric, Long> metrics = none();
    boolean active;
    switch (event.type()) {
      case AnalyticsEvents.POINTS_EARNED -> {
        long points = event.integer("points");
        if (points < 0) {
          throw new MalformedEventException("data.points of an earn is negative");
        }
        active = SOURCE_ACTION.equals(event.optionalText("source_type"));
        add(metrics, Metric.POINTS_EARNED, points);
        if (active) {
          add(metrics, Metric.ACTIONS_COMPLETED, 1);
        }
      }
      case AnalyticsEvents.POINTS_BURNED -> {
        // Burns are signed like the ledger entry (negative); the statistic counts points spent.
        add(metrics, Metric.POINTS_BURNED, Math.abs(event.integer("points")));
        active = true;
      }
      default -> {
        return null;
      }
    }
    return new Activity(
        event.text("client_id"),
        event.occurredAt(),
        metrics,
        List.of(user(event.text("user_id"), metrics, active)),
        null);
  }
}
