package com.rewards.platform.event;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in commit order, then deletes them. One relay per database holds a
 * transaction-scoped advisory lock, so per-key order survives several replicas. When Kafka is down
 * the batch fails, its transaction rolls back and the rows wait for the next tick: nothing is lost,
 * and a row published twice (crash between ack and delete) is absorbed by consumers' inboxes.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final long LOCK_ID = 0x0_7ab1e_0001L;

  private final Pool pool;
  private final int batchSize;
  private final KafkaProducer<String, String> producer;
  private final Vertx vertx;
  private final Duration pollInterval;
  private final AtomicBoolean running = new AtomicBoolean();
  private final MeterRegistry metrics;
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong oldestAgeMillis = new AtomicLong();

  public OutboxRelay(
      Pool pool,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults,
      Vertx vertx,
      MeterRegistry metrics,
      @ConfigProperty(name = "rewards.outbox.poll-interval", defaultValue = "PT0.2S")
          Duration pollInterval,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "rewards.outbox.batch-size", defaultValue = "500") int batchSize,
      @ConfigProperty(name = "rewards.outbox.delivery-timeout", defaultValue = "PT30S")
          Duration deliveryTimeout) {
    this.pool = pool;
    this.vertx = vertx;
    this.pollInterval = pollInterval;
    this.batchSize = batchSize;
    this.producer =
        new KafkaProducer<>(
            ProducerSettings.idempotent(
                kafkaDefaults,
                bootstrap,
                deliveryTimeout,
                deliveryTimeout.dividedBy(2),
                Duration.ofMillis(5)));
    this.metrics = metrics;
    metrics.gauge("rewards.outbox.backlog", backlog);
    metrics.gauge("rewards.outbox.oldest.age.seconds", oldestAgeMillis, v -> v.get() / 1000.0);
  }

  /**
   * Polls on a Vert.x timer rather than the scheduler, which cannot go below one second: the poll
   * interval bounds how long a committed event waits before it is published. One pass at a time.
   */
  void start(@Observes StartupEvent event) {
    vertx.setPeriodic(
        pollInterval.toMillis(),
        id -> {
          if (running.compareAndSet(false, true)) {
            tick().subscribe().with(done -> running.set(false), failure -> running.set(false));
          }
        });
    vertx.setPeriodic(5_000, id -> measure().subscribe().with(done -> {}, failure -> {}));
  }

  /** Backlog and age of the oldest unpublished event: how far Kafka is behind the database. */
  private Uni<Void> measure() {
    return pool.query(
            "select count(*), coalesce(extract(epoch from now() - min(created_at)) * 1000, 0)"
                + " from outbox")
        .execute()
        .invoke(
            rows -> {
              Row row = rows.iterator().next();
              backlog.set(row.getLong(0));
              oldestAgeMillis.set(row.getNumeric(1).longValue());
            })
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull();
  }

  Uni<Void> tick() {
    return relayOnce()
        .chain(sent -> sent >= batchSize ? tick() : Uni.createFrom().voidItem())
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.warnf("Outbox relay paused, will retry: %s", e.getMessage());
              return Uni.createFrom().voidItem();
            });
  }

  /** Publishes one batch; answers how many rows were published and deleted. */
  public Uni<Integer> relayOnce() {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("select pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(LOCK_ID))
                .chain(
                    rows ->
                        rows.iterator().next().getBoolean(0)
                            ? publishPending(conn)
                            : Uni.createFrom().item(0)));
  }

  private Uni<Integer> publishPending(SqlConnection conn) {
    return conn.preparedQuery(
            "select id, topic, message_key, payload, request_id, event_type from outbox order by id limit $1")
        .execute(Tuple.of(batchSize))
        .chain(
            rows -> {
              List<Row> batch = new ArrayList<>();
              rows.forEach(batch::add);
              if (batch.isEmpty()) {
                return Uni.createFrom().item(0);
              }
              return Uni.createFrom()
                  .item(() -> send(batch))
                  .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                  .chain(
                      published ->
                          published.isEmpty()
                              ? Uni.createFrom().failure(new IllegalStateException("Kafka refused"))
                              : conn.preparedQuery("delete from outbox where id = any($1)")
                                  .execute(Tuple.of(published.toArray(Long[]::new)))
                                  .replaceWith(published.size()));
            });
  }

  /**
   * Runs on a worker thread: {@code send} may block while metadata is missing. A row counts as
   * published only if it and every earlier row of its key were acknowledged, so a retry never
   * overtakes an older event of the same key.
   */
  private List<Long> send(List<Row> batch) {
    List<CompletableFuture<Boolean>> acks = new ArrayList<>(batch.size());
    for (Row row : batch) {
      CompletableFuture<Boolean> ack = new CompletableFuture<>();
      try {
        ProducerRecord<String, String> record =
            new ProducerRecord<>(
                row.getString("topic"), row.getString("message_key"), row.getString("payload"));
        record
            .headers()
            .add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        String requestId = row.getString("request_id");
        if (requestId != null) {
          record.headers().add("x-request-id", requestId.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record, (meta, error) -> ack.complete(error == null));
      } catch (RuntimeException e) {
        ack.complete(false);
      }
      acks.add(ack);
    }
    List<Long> published = new ArrayList<>();
    Set<String> blockedKeys = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      Row row = batch.get(i);
      String blockKey = row.getString("topic") + '\u0000' + row.getString("message_key");
      boolean acked = acks.get(i).join();
      if (acked && !blockedKeys.contains(blockKey)) {
        published.add(row.getLong("id"));
        String type = row.getString("event_type");
        metrics
            .counter("rewards.events.published", "type", type == null ? "unknown" : type)
            .increment();
      } else {
        blockedKeys.add(blockKey);
      }
    }
    return published;
  }

  void close(@Observes ShutdownEvent event) {
    producer.close(Duration.ofSeconds(5));
  }
}
