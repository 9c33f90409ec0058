package com.rewards.analytics.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.analytics.event.IncomingEvent;
import com.rewards.analytics.event.MalformedEventException;
import com.rewards.platform.event.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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
}
