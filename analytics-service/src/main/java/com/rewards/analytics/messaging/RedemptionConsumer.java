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

/** Gifts redeemed. A refund does not undo participation: the user did redeem that day. */
@ApplicationScoped
public class RedemptionConsumer {
  static final String CONSUMER = "analytics-service.redemptions";

  private final EventIntake intake;
  private final ParticipationRecorder recorder;

  public RedemptionConsumer(EventIntake intake, ParticipationRecorder recorder) {
    this.intake = intake;
    this.recorder = recorder;
  }

  @Incoming("redemptions")
  @WithTransaction
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    return intake.accept(
        CONSUMER,
        record,
        event -> {
          if (!AnalyticsEvents.GIFT_REDEEMED.equals(event.type())) {
            return null;
          }
          Activity activity =
              new Activity(
                  event.text("client_id"),
                  event.occurredAt(),
                  count(Metric.GIFTS_REDEEMED),
                  List.of(user(event.text("user_id"), count(Metric.GIFTS_REDEEMED), true)),
                  null);
          return () -> recorder.record(activity);
        });
  }
}
