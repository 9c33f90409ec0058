package com.rewards.analytics.messaging;

import static com.rewards.analytics.messaging.Activities.count;
import static com.rewards.analytics.messaging.Activities.user;

import com.rewards.analytics.domain.Activity;
import com.rewards.analytics.domain.Metric;
import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.analytics.event.IncomingEvent;
import com.rewards.analytics.event.MalformedEventException;
import com.rewards.analytics.service.DropRequests;
import com.rewards.analytics.service.ParticipationRecorder;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Counts the drops this service itself stored, from the topic rather than from the request: only an
 * acknowledged drop counts, and a drop published twice (a client retry racing itself) carries one
 * CloudEvent id and counts once.
 */
@ApplicationScoped
public class PxEventConsumer {
  static final String CONSUMER = "analytics-service.px-events";

  private final EventIntake intake;
  private final ParticipationRecorder recorder;

  public PxEventConsumer(EventIntake intake, ParticipationRecorder recorder) {
    this.intake = intake;
    this.recorder = recorder;
  }

  /** A whole poll at a time (one transaction): drops arrive by the thousand per second. */
  @Incoming("px-events")
  @WithTransaction
  public Uni<Void> consume(ConsumerRecords<String, String> records) {
    return intake.acceptAll(CONSUMER, records, PxEventConsumer::activity, recorder::recordAll);
  }

  private static Activity activity(IncomingEvent event) {
    if (!AnalyticsEvents.PX_EVENT_DROPPED.equals(event.type())) {
      return null;
    }
    String eventId = event.text("event_id");
    if (!DropRequests.EVENT_ID.matcher(eventId).matches()) {
      throw new MalformedEventException("data.event_id is not a valid event id");
    }
    return new Activity(
        event.text("client_id"),
        event.occurredAt(),
        count(Metric.EVENTS_DROPPED),
        List.of(user(event.text("user_id"), count(Metric.EVENTS_DROPPED), true)),
        eventId);
  }
}
