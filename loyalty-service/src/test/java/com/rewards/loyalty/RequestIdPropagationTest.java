package com.rewards.loyalty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.platform.rest.RequestIds;
import com.rewards.platform.testing.TestStack;
import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * The request id on a record ({@code x-request-id}, set by the outbox relay) is the consumer's MDC
 * {@code requestId} while it processes the record, after asynchronous hops too, and only for that
 * record.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class RequestIdPropagationTest {
  @Inject RequestIdProbe probe;

  private static void publish(String payload, String requestId) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (var producer = new KafkaProducer<String, String>(p)) {
      // One key: the records stay in order on one partition.
      var record = new ProducerRecord<>(RequestIdProbe.TOPIC, "probe", payload);
      if (requestId != null) {
        record.headers().add("x-request-id", requestId.getBytes(StandardCharsets.UTF_8));
      }
      producer.send(record).get();
    }
  }

  /**
   * The probe's consumer may join its topic after the first records (offsets start at the end), so
   * records are sent until one arrives.
   */
  private void publishUntilConsumed(String payload, String requestId) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (probe.seen(payload) == null && Instant.now().isBefore(deadline)) {
      publish(payload, requestId);
      Instant wait = Instant.now().plusSeconds(3);
      while (probe.seen(payload) == null && Instant.now().isBefore(wait)) {
        Thread.sleep(100);
      }
    }
  }

  @Test
  void theRecordsRequestIdIsInTheConsumersMdcAndLogLinesForThatRecordOnly() throws Exception {
    List<ExtLogRecord> lines = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
              ext.copyMdc(); // what the log formatter sees, taken on the logging thread
              lines.add(ext);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger probeLog = Logger.getLogger(RequestIdProbe.class.getName());
    probeLog.addHandler(capture);
    try {
      String traced = "it-" + UUID.randomUUID();
      String payload = "traced-" + UUID.randomUUID();
      publishUntilConsumed(payload, traced);
      assertEquals(traced + "|" + traced, probe.seen(payload));
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.getFormattedMessage().contains(payload)
                          && traced.equals(l.getMdc(RequestIds.MDC_KEY))),
          "the consumer's log line carries the request id");

      // The next record has no id: nothing is left over from the previous one.
      String plain = "plain-" + UUID.randomUUID();
      publishUntilConsumed(plain, null);
      assertEquals("null|null", probe.seen(plain));

      // An id that could not be a request id is not taken into the logs.
      String odd = "odd-" + UUID.randomUUID();
      publishUntilConsumed(odd, "bad id\nforged log line");
      assertEquals("null|null", probe.seen(odd));
    } finally {
      probeLog.removeHandler(capture);
    }
  }
}
