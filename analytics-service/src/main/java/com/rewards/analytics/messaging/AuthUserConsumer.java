package com.rewards.analytics.messaging;

import static com.rewards.analytics.messaging.Activities.count;
import static com.rewards.analytics.messaging.Activities.none;
import static com.rewards.analytics.messaging.Activities.user;

import com.rewards.analytics.domain.Activity;
import com.rewards.analytics.domain.Metric;
import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.analytics.service.ParticipationRecorder;
import com.rewards.platform.security.TokenRevocations;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows auth's users: a sign-up is a new, active user; a logout revokes older tokens here too; a
 * deletion removes the user's rows (program counts stay, anonymous) and revokes their tokens.
 */
@ApplicationScoped
public class AuthUserConsumer {
  static final String CONSUMER = "analytics-service.auth-users";

  private final EventIntake intake;
  private final ParticipationRecorder recorder;
  private final TokenRevocations revocations;

  public AuthUserConsumer(
      EventIntake intake, ParticipationRecorder recorder, TokenRevocations revocations) {
    this.intake = intake;
    this.recorder = recorder;
    this.revocations = revocations;
  }

  @Incoming("auth-users")
  @WithTransaction
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    return intake.accept(
        CONSUMER,
        record,
        event ->
            switch (event.type()) {
              case AnalyticsEvents.USER_CREATED -> {
                String clientId = event.text("client_id");
                Activity activity =
                    new Activity(
                        clientId,
                        event.occurredAt(),
                        count(Metric.NEW_USERS),
                        List.of(user(event.text("user_id"), none(), true)),
                        null);
                yield () -> recorder.record(activity);
              }
              case AnalyticsEvents.USER_LOGGED_OUT -> {
                String clientId = event.text("client_id");
                String userId = event.text("user_id");
                Instant validAfter = event.instantField("tokens_valid_after");
                yield () -> revocations.record(clientId, userId, validAfter);
              }
              case AnalyticsEvents.USER_DELETED -> {
                String clientId = event.text("client_id");
                String userId = event.text("user_id");
                Instant deletedAt = event.instantField("occurred_at");
                yield () -> recorder.forget(event.id(), clientId, userId, deletedAt);
              }
              default -> null;
            });
  }
}
