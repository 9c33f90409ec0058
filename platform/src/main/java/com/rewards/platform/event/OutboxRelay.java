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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in commit order, then deletes them. One relay per database holds a
 * transaction-scoped advisory lock, so per-key order survives several replicas. Each batch is one
 * Kafka transaction: consumers reading committed records (every consumer of ours) see a batch whole
 * or not at all, so a batch retried after a broker outage or a timed-out acknowledgement never
 * shows up twice. When Kafka is down the batch aborts, its database transaction rolls back and the
 * rows wait for the next tick: nothing is lost. Only a crash between the Kafka commit and the row
 * delete publishes a batch twice; consumers' inboxes absorb that by event id.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final long LOCK_ID = 0x0_7ab1e_0001L;

  private final Pool pool;
  private final int batchSize;
  private final Properties producerConfig;
  private final Vertx vertx;
  private final Duration pollInterval;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Long> timers = new ArrayList<>();
  private final MeterRegistry metrics;
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong oldestAgeMillis = new AtomicLong();
  // Used by one relay pass at a time (running), on a worker thread; replaced after any failure.
  private volatile KafkaProducer<String, String> producer;

  public OutboxRelay(
      Pool pool,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults,
      Vertx vertx,
      MeterRegistry metrics,
      @ConfigProperty(name = "quarkus.application.name") String application,
      @ConfigProperty(name = "rewards.outbox.poll-interval", defaultValue = "PT0.2S")
          Duration pollInterval,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "rewards.outbox.batch-size", defaultValue = "500") int batchSize,
      @ConfigProperty(name = "rewards.outbox.delivery-timeout", defaultValue = "PT30S")
          Duration deliveryTimeout,
      @ConfigProperty(name = "rewards.outbox.transaction-timeout", defaultValue = "PT10S")
          Duration transactionTimeout) {
    this.pool = pool;
    this.vertx = vertx;
    this.pollInterval = pollInterval;
    this.batchSize = batchSize;
    this.producerConfig =
        ProducerSettings.idempotent(
            kafkaDefaults,
            bootstrap,
            deliveryTimeout,
            deliveryTimeout.dividedBy(2),
            Duration.ofMillis(5));
    // One id per process: a replacement producer of this process fences the one it replaces and
    // aborts its open transaction. The prefix is what the broker's ACLs grant (deploy/).
    producerConfig.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, application + "-outbox-" + UUID.randomUUID());
    // A process killed mid-batch leaves its transaction open, and no successor fences it (the id
    // is per process): every read_committed consumer of a partition it wrote stops there until the
    // coordinator aborts it. This bounds that stall (Kafka's default: 60 s); a healthy batch
    // commits in well under a second, and one aborted for taking longer is retried whole.
    producerConfig.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
    this.metrics = metrics;
    metrics.gauge("rewards.outbox.backlog", backlog);
    metrics.gauge("rewards.outbox.oldest.age.seconds", oldestAgeMillis, v -> v.get() / 1000.0);
  }

  /**
   * Polls on a Vert.x timer rather than the scheduler, which cannot go below one second: the poll
   * interval bounds how long a committed event waits before it is published. One pass at a time.
   */
  void start(@Observes StartupEvent event) {
    timers.add(
        vertx.setPeriodic(
            pollInterval.toMillis(),
            id -> {
              if (!stopping.get() && running.compareAndSet(false, true)) {
                tick().subscribe().with(done -> running.set(false), failure -> running.set(false));
              }
            }));
    timers.add(
        vertx.setPeriodic(5_000, id -> measure().subscribe().with(done -> {}, failure -> {})));
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
        .chain(sent -> sent >= batchSize && !stopping.get() ? tick() : Uni.createFrom().voidItem())
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
   * Runs on a worker thread: {@code send} may block while metadata is missing. All rows of the
   * batch or none are published: the commit fails if any record was not acknowledged.
   */
  private List<Long> send(List<Row> batch) {
    try {
      KafkaProducer<String, String> p = producer();
      p.beginTransaction();
      for (Row row : batch) {
        p.send(record(row));
      }
      p.commitTransaction();
    } catch (KafkaException e) {
      LOG.warnf("Outbox batch of %d not published, will retry: %s", batch.size(), e.getMessage());
      discardProducer();
      return List.of();
    }
    List<Long> published = new ArrayList<>(batch.size());
    for (Row row : batch) {
      published.add(row.getLong("id"));
      String type = row.getString("event_type");
      metrics
          .counter("rewards.events.published", "type", type == null ? "unknown" : type)
          .increment();
    }
    return published;
  }

  private static ProducerRecord<String, String> record(Row row) {
    ProducerRecord<String, String> record =
        new ProducerRecord<>(
            row.getString("topic"), row.getString("message_key"), row.getString("payload"));
    record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    String requestId = row.getString("request_id");
    if (requestId != null) {
      record.headers().add(InboundRequestIds.HEADER, requestId.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  private KafkaProducer<String, String> producer() {
    if (producer == null) {
      KafkaProducer<String, String> fresh = new KafkaProducer<>(producerConfig);
      try {
        fresh.initTransactions();
      } catch (KafkaException e) {
        fresh.close(Duration.ZERO);
        throw e;
      }
      producer = fresh;
    }
    return producer;
  }

  /**
   * After a failure the producer may be mid-transaction or fenced; a new one with the same
   * transactional id aborts whatever the old one left open.
   */
  private void discardProducer() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  /**
   * After the HTTP server has closed (so no request writes another row here): no new pass, the one
   * under way finishes (its batch committed in Kafka and deleted, or rolled back whole), and only
   * then the producer closes. Rows left behind wait for the next relay of this database: another
   * replica's within a poll interval, or this service's next start. Closing the producer under a
   * pass instead would abort its Kafka transaction and leave it to be retried, also without loss,
   * but with a warning and a fenced producer.
   */
  void close(@Observes ShutdownEvent event) {
    stopping.set(true);
    timers.forEach(vertx::cancelTimer);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (running.get() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (running.get()) {
      LOG.warn("Outbox relay pass still running at shutdown; closing its producer anyway");
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
