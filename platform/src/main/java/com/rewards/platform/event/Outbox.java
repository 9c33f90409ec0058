package com.rewards.platform.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.platform.rest.RequestIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes an event into the service's {@code outbox} table inside the caller's open transaction, so
 * the domain change and its event commit or roll back together. {@link OutboxRelay} publishes it.
 */
@ApplicationScoped
public class Outbox {
  private final ObjectMapper mapper;
  private final String source;

  public Outbox(
      ObjectMapper mapper, @ConfigProperty(name = "rewards.service-name") String service) {
    this.mapper = mapper;
    this.source = "/rewards/" + service;
  }

  /**
   * An event as its outbox row, for a service that inserts it in a statement of its own together
   * with the rows it belongs to (one round trip instead of two); {@link #append} inserts it alone.
   */
  public record Row(
      CloudEvent event, String topic, String key, String payload, String type, String requestId) {
    /** The outbox's columns, in the order of {@link #values()}. */
    public static final String COLUMNS =
        "event_id, topic, message_key, payload, event_type, request_id";

    public Object[] values() {
      return new Object[] {UUID.fromString(event.id()), topic, key, payload, type, requestId};
    }
  }

  /**
   * Builds the event and its row without writing it: the caller inserts {@link Row#values()} into
   * {@link Row#COLUMNS} inside its own open transaction.
   *
   * @param key the Kafka record key (user or partner id) that keeps one aggregate's events in order
   */
  public Row row(
      String topic, String key, String type, String partnerId, String subject, Object data) {
    CloudEvent event =
        new CloudEvent(
            CloudEvent.SPEC_VERSION,
            UUID.randomUUID().toString(),
            source,
            type,
            Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
            subject,
            "application/json",
            partnerId,
            mapper.valueToTree(data));
    try {
      return new Row(
          event, topic, key, mapper.writeValueAsString(event), type, RequestIds.current());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Event " + type + " cannot be written as JSON", e);
    }
  }

  /**
   * @param key the Kafka record key (user or partner id) that keeps one aggregate's events in order
   */
  public Uni<CloudEvent> append(
      String topic, String key, String type, String partnerId, String subject, Object data) {
    Row row;
    try {
      row = row(topic, key, type, partnerId, subject, data);
    } catch (IllegalStateException e) {
      return Uni.createFrom().failure(e);
    }
    return append(row);
  }

  /** Inserts a row built by {@link #row} inside the current transaction; answers its event. */
  public Uni<CloudEvent> append(Row row) {
    return Panache.currentTransaction()
        .chain(
            tx -> {
              if (tx == null) {
                return Uni.createFrom()
                    .failure(new IllegalStateException("Outbox writes need an open transaction"));
              }
              return Panache.getSession()
                  .chain(
                      session ->
                          session
                              .createNativeQuery(
                                  "insert into outbox (event_id, topic, message_key, payload, event_type,"
                                      + " request_id) values (:id, :topic, :key, :payload, :type, :rid)")
                              .setParameter("id", UUID.fromString(row.event().id()))
                              .setParameter("topic", row.topic())
                              .setParameter("key", row.key())
                              .setParameter("payload", row.payload())
                              .setParameter("type", row.type())
                              .setParameter("rid", row.requestId())
                              .executeUpdate());
            })
        .replaceWith(row.event());
  }
}
