package com.rewards.analytics.messaging;

import static com.rewards.analytics.messaging.Activities.count;
import static com.rewards.analytics.messaging.Activities.none;
import static com.rewards.analytics.messaging.Activities.user;

import com.rewards.analytics.domain.Activity;
import com.rewards.analytics.domain.Metric;
import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.analytics.service.ParticipationRecorder;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Referrals applied and converted. Both count for the program and, in the referrer's own history,
 * as referrals of their code; applying a code shows the referred user active. The user fields are
 * optional here so that a referral event without them still counts for the program.
 */
@ApplicationScoped
public class ReferralConsumer {
  static final String CONSUMER = "analytics-service.referrals";

  private final EventIntake intake;
  private final ParticipationRecorder recorder;

  public ReferralConsumer(EventIntake intake, ParticipationRecorder recorder) {
    this.intake = intake;
    this.recorder = recorder;
  }

  @Incoming("referrals")
  @WithTransaction
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    return intake.accept(
        CONSUMER,
        record,
        event -> {
          Metric metric =
              switch (event.type()) {
                case AnalyticsEvents.REFERRAL_APPLIED -> Metric.REFERRALS_APPLIED;
                case AnalyticsEvents.REFERRAL_CONVERTED -> Metric.REFERRALS_CONVERTED;
                default -> null;
              };
          if (metric == null) {
            return null;
          }
          String clientId = event.text("client_id");
          String referrer = event.optionalText("referrer_user_id");
          String referred = event.optionalText("referred_user_id");
          List<Activity.UserActivity> users = new ArrayList<>();
          if (referrer != null) {
            users.add(user(referrer, count(metric), false));
          }
          if (referred != null && metric == Metric.REFERRALS_APPLIED) {
            users.add(user(referred, none(), true));
          }
          Activity activity =
              new Activity(clientId, event.occurredAt(), count(metric), users, null);
          return () -> recorder.record(activity);
        });
  }
}
