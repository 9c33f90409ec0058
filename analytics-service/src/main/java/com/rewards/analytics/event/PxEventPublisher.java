package com.rewards.analytics.event;

import com.rewards.platform.event.CloudEvent;
import com.rewards.platform.event.ProducerSettings;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes drops straight to Kafka and answers only once the broker acknowledged them (idempotent
 * producer, {@code acks=all}): an app hears 200 only for an event that is stored. There is no
 * outbox on this path on purpose, since the drop has no database write to be atomic with.
 */
@Startup
@ApplicationScoped
public class PxEventPublisher {
  private static final Logger LOG = Logger.getLogger(PxEventPublisher.class);
  private final Producer<String, String> producer;

  public PxEventPublisher(
      @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "rewards.analytics.producer.delivery-timeout") Duration delivery,
      @ConfigProperty(name = "rewards.analytics.producer.max-block") Duration maxBlock,
      @ConfigProperty(name = "rewards.analytics.producer.linger") Duration linger) {
    this.producer =
        new KafkaProducer<>(
            ProducerSettings.idempotent(kafkaDefaults, bootstrap, delivery, maxBlock, linger));
    // Fetch the topic's metadata in the background, so the first drop after a start does not wait
    // for it; if Kafka is not there yet, the first drop fetches it (or answers 503).
    Infrastructure.getDefaultWorkerPool()
        .execute(
            () -> {
              try {
                producer.partitionsFor(AnalyticsEvents.PX_EVENTS_TOPIC);
              } catch (RuntimeException e) {
                LOG.debugf("No metadata for %s yet: %s", AnalyticsEvents.PX_EVENTS_TOPIC, e);
              }
            });
  }

  /** A record keyed and typed as every CloudEvent on the platform's topics. */
  public static ProducerRecord<String, String> record(String topic, String key, String cloudEvent) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, cloudEvent);
    record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  /**
   * Sends every record and answers, per record, null once acknowledged or why it failed. {@code
   * send} may block up to max-block while metadata is missing, so it runs on a worker thread; the
   * answer comes back on the caller's Vert.x context, where its Hibernate session lives.
   */
  public Uni<List<Throwable>> send(List<ProducerRecord<String, String>> records) {
    Context caller = Vertx.currentContext();
    Uni<List<Throwable>> acks =
        Uni.createFrom()
            .completionStage(() -> sendAll(records))
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    if (caller == null) {
      return acks;
    }
    Executor onCaller = task -> caller.runOnContext(ignored -> task.run());
    return acks.emitOn(onCaller);
  }

  private CompletableFuture<List<Throwable>> sendAll(List<ProducerRecord<String, String>> records) {
    List<CompletableFuture<Throwable>> acks = new ArrayList<>(records.size());
    for (ProducerRecord<String, String> record : records) {
      CompletableFuture<Throwable> ack = new CompletableFuture<>();
      try {
        producer.send(record, (meta, error) -> ack.complete(error));
      } catch (RuntimeException e) {
        ack.complete(e);
      }
      acks.add(ack);
    }
    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .thenApply(done -> acks.stream().map(CompletableFuture::join).toList());
  }

  @PreDestroy
  void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
