package com.rewards.suite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads the suite's topics as an outside consumer would (no group, from the first offset). */
final class Topics {
  private Topics() {}

  /**
   * Every record of the topic that matches, read from the start up to the end offsets as they were
   * when reading began (so the answer is a snapshot, not a wait for more).
   */
  static List<ConsumerRecord<String, String>> readFromStart(
      String topic, Predicate<ConsumerRecord<String, String>> matches, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Suite.KAFKA_BOOTSTRAP);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end in " + timeout);
        }
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))
              && matches.test(r)) {
            found.add(r);
          }
        }
      }
    }
    return found;
  }

  private static boolean reached(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** A plain producer, for delivering a record again as Kafka's at-least-once may. */
  static KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Suite.KAFKA_BOOTSTRAP);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  /**
   * Whether a consumer group has committed past a record: the service has handled it (the services
   * commit after processing), so its effect, or its lack of one, is now visible.
   */
  static boolean consumedPast(String groupId, RecordMetadata record)
      throws InterruptedException, ExecutionException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Suite.KAFKA_BOOTSTRAP);
    try (Admin admin = Admin.create(props)) {
      var committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(new TopicPartition(record.topic(), record.partition()));
      return committed != null && committed.offset() > record.offset();
    }
  }
}
