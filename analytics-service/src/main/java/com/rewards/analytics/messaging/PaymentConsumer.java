package com.rewards.analytics.messaging;

import static com.rewards.analytics.messaging.Activities.count;
import static com.rewards.analytics.messaging.Activities.user;

import com.rewards.analytics.domain.Activity;
import com.rewards.analytics.domain.Metric;
import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.analytics.service.ParticipationRecorder;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Successful charges. A charge may be the partner's server billing the user (a renewal), so it
 * counts but does not by itself show the user active. Other payment events (holds, subscriptions,
 * refunds) are skipped.
 */
@ApplicationScoped
public class PaymentConsumer {
  static final String CONSUMER = "analytics-service.payments";

  private final EventIntake intake;
  private final ParticipationRecorder recorder;

  public PaymentConsumer(EventIntake intake, ParticipationRecorder recorder) {
    this.intake = intake;
    this.recorder = recorder;
  }

  @Incoming("payments")
  @WithTransaction
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    return intake.accept(
        CONSUMER,
        record,
        event -> {
          if (!AnalyticsEvents.CHARGE_SUCCEEDED.equals(event.type())) {
            return null;
          }
          String userId = event.optionalText("user_id");
          Activity activity =
              new Activity(
                  event.text("client_id"),
                  event.occurredAt(),
                  count(Metric.CHARGES_SUCCEEDED),
                  userId == null
                      ? List.of()
                      : List.of(user(userId, count(Metric.CHARGES_SUCCEEDED), false)),
                  null);
          return () -> recorder.record(activity);
        });
  }
}
