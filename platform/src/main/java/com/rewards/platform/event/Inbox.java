package com.rewards.platform.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies each consumed event once per consumer: the event id is recorded in the {@code inbox}
 * table in the same transaction as the consumer's work, so a redelivery finds it and does nothing.
 */
@ApplicationScoped
public class Inbox {
  private static final Logger LOG = Logger.getLogger(Inbox.class);
  private final ObjectMapper mapper;
  private final Duration retention;

  public Inbox(
      ObjectMapper mapper,
      @ConfigProperty(name = "rewards.inbox.retention", defaultValue = "P30D") Duration retention) {
    this.mapper = mapper;
    this.retention = retention;
  }

  /**
   * Parses a record and applies it once per consumer. A record that is not a CloudEvent is logged
   * and skipped: it can never be applied, and stopping on it would block every record behind it.
   * Must run inside the consumer's transaction.
   */
  public Uni<Void> consume(
      String consumer, String topic, String payload, Function<InboundEvent, Uni<?>> handler) {
    return InboundEvent.parse(mapper, payload)
        .map(event -> once(consumer, event.id(), () -> handler.apply(event)).replaceWithVoid())
        .orElseGet(
            () -> {
              LOG.warnf("%s skipped a record of %s that is not a CloudEvent", consumer, topic);
              return Uni.createFrom().voidItem();
            });
  }

  /**
   * Forgets event ids older than the retention: far past the topics' retention, so a redelivery can
   * no longer bring them back.
   */
  @Scheduled(every = "1h", delayed = "5m")
  Uni<Void> purgeOld() {
    return Panache.withTransaction(
            () ->
                Panache.getSession()
                    .chain(
                        s ->
                            s.createNativeQuery(
                                    "delete from inbox"
                                        + " where processed_at < now() - make_interval(secs => :secs)")
                                .setParameter("secs", (double) retention.toSeconds())
                                .executeUpdate()))
        .replaceWithVoid();
  }

  /** Must run inside the consumer's transaction. Answers whether the work ran. */
  public Uni<Boolean> once(String consumer, String eventId, Supplier<Uni<?>> work) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "insert into inbox (consumer, event_id) values (:consumer, :id)"
                            + " on conflict do nothing")
                    .setParameter("consumer", consumer)
                    .setParameter("id", eventId)
                    .executeUpdate())
        .chain(
            inserted ->
                inserted == 1
                    ? work.get().replaceWith(Boolean.TRUE)
                    : Uni.createFrom().item(Boolean.FALSE));
  }
}
