package com.rewards.analytics.messaging;

import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.analytics.event.DeadLetter;
import com.rewards.platform.event.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Puts a record a consumer cannot read on {@code analytics.dlq.v1}, through the outbox in the
 * consumer's transaction: the dead letter is stored exactly when the offset moves past the record,
 * and a broker outage never stalls the consumer on it.
 */
@ApplicationScoped
public class DeadLetters {
  private static final Logger LOG = Logger.getLogger(DeadLetters.class);

  private final Outbox outbox;

  public DeadLetters(Outbox outbox) {
    this.outbox = outbox;
  }

  public Uni<Void> send(String consumer, ConsumerRecord<String, String> record, String reason) {
    LOG.warnf(
        "%s: record %s-%d@%d goes to %s: %s",
        consumer,
        record.topic(),
        record.partition(),
        record.offset(),
        AnalyticsEvents.DLQ_TOPIC,
        reason);
    String value = record.value();
    boolean truncated = value.length() > DeadLetter.MAX_VALUE_CHARS;
    DeadLetter letter =
        new DeadLetter(
            consumer,
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            reason,
            truncated ? value.substring(0, DeadLetter.MAX_VALUE_CHARS) : value,
            truncated);
    String key = record.key() != null ? record.key() : record.topic() + "/" + record.partition();
    return outbox
        .append(
            AnalyticsEvents.DLQ_TOPIC, key, AnalyticsEvents.RECORD_DEAD_LETTERED, null, key, letter)
        .replaceWithVoid();
  }
}
