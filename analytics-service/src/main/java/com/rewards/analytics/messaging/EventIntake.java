package com.rewards.analytics.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.analytics.domain.Activity;
import com.rewards.analytics.event.IncomingEvent;
import com.rewards.analytics.event.MalformedEventException;
import com.rewards.analytics.service.InOrder;
import com.rewards.platform.event.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The common path of every consumer, inside its transaction: read the envelope, let the consumer
 * turn the event into work (reading every field it needs up front), and apply that work once per
 * event id. A record that cannot be read goes to the DLQ and the consumer moves on; a type the
 * consumer does not know is skipped, so producers can add types without breaking analytics.
 */
@ApplicationScoped
public class EventIntake {
  private final Inbox inbox;
  private final DeadLetters deadLetters;
  private final ObjectMapper mapper;

  public EventIntake(Inbox inbox, DeadLetters deadLetters, ObjectMapper mapper) {
    this.inbox = inbox;
    this.deadLetters = deadLetters;
    this.mapper = mapper;
  }

  /**
   * @param plan the work for an event, or null when the consumer ignores its type; throws {@link
   *     MalformedEventException} when a field it needs is missing or mistyped
   */
  public Uni<Void> accept(
      String consumer,
      ConsumerRecord<String, String> record,
      Function<IncomingEvent, Supplier<Uni<?>>> plan) {
    if (record.value() == null) {
      // A tombstone (compaction of a deleted key): nothing to count.
      return Uni.createFrom().voidItem();
    }
    IncomingEvent event;
    Supplier<Uni<?>> work;
    try {
      event = IncomingEvent.parse(mapper, record.value());
      work = plan.apply(event);
    } catch (MalformedEventException e) {
      return deadLetters.send(consumer, record, e.getMessage());
    }
    if (work == null) {
      return Uni.createFrom().voidItem();
    }
    return inbox.once(consumer, event.id(), work).replaceWithVoid();
  }

  /**
   * A whole poll in the consumer's one transaction: each record goes through the same steps as in
   * {@link #accept}, in order, and the activities of the events not seen before (by this consumer,
   * in an earlier poll or earlier in this one) are handed to {@code record} together.
   *
   * @param plan the activity of an event, or null when the consumer ignores its type
   */
  public Uni<Void> acceptAll(
      String consumer,
      ConsumerRecords<String, String> records,
      Function<IncomingEvent, Activity> plan,
      Function<List<Activity>, Uni<Void>> record) {
    List<Activity> fresh = new ArrayList<>();
    List<Supplier<Uni<Void>>> steps = new ArrayList<>();
    for (ConsumerRecord<String, String> r : records) {
      steps.add(
          () ->
              accept(
                  consumer,
                  r,
                  event -> {
                    Activity activity = plan.apply(event);
                    return activity == null
                        ? null
                        : () -> Uni.createFrom().item(fresh.add(activity));
                  }));
    }
    return InOrder.run(steps).chain(() -> record.apply(fresh));
  }
}
