package com.rewards.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from a test with a real Kafka consumer, from the beginning, and waits for the
 * records a test expects.
 */
public final class TopicReader implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final KafkaConsumer<String, String> consumer;
  private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

  public TopicReader(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // As every consumer of ours: aborted outbox batches are not events.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    consumer = new KafkaConsumer<>(p);
    consumer.subscribe(List.of(topic));
  }

  /** Every record matching {@code filter} once at least {@code count} arrived, or what came. */
  public List<ConsumerRecord<String, String>> await(
      Predicate<ConsumerRecord<String, String>> filter, int count, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    // Each record is tested once: a topic holding a bench's hundreds of thousands of events used to
    // be filtered again, JSON parsing included, after every poll.
    List<ConsumerRecord<String, String>> matched =
        new ArrayList<>(seen.stream().filter(filter).toList());
    while (matched.size() < count && Instant.now().isBefore(deadline)) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
        seen.add(r);
        if (filter.test(r)) {
          matched.add(r);
        }
      }
    }
    return matched;
  }

  /** Keeps polling for {@code quiet} so late duplicates show up too. */
  public List<ConsumerRecord<String, String>> drain(
      Predicate<ConsumerRecord<String, String>> filter, Duration quiet) {
    Instant deadline = Instant.now().plus(quiet);
    while (Instant.now().isBefore(deadline)) {
      consumer.poll(Duration.ofMillis(250)).forEach(seen::add);
    }
    return seen.stream().filter(filter).toList();
  }

  public static JsonNode json(ConsumerRecord<String, String> record) {
    try {
      return MAPPER.readTree(record.value());
    } catch (Exception e) {
      throw new AssertionError("Record is not JSON: " + record.value(), e);
    }
  }

  /** Matches CloudEvents of {@code type} whose data has {@code field} equal to {@code value}. */
  public static Predicate<ConsumerRecord<String, String>> event(
      String type, String field, String value) {
    return r -> {
      JsonNode node;
      try {
        node = MAPPER.readTree(r.value());
      } catch (Exception e) {
        return false; // other tests publish malformed records on purpose
      }
      return node != null
          && type.equals(node.path("type").asText())
          && value.equals(node.path("data").path(field).asText());
    };
  }

  @Override
  public void close() {
    consumer.close();
  }
}
