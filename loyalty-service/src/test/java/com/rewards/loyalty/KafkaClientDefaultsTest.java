package com.rewards.loyalty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kafka client defaults live once, in platform's microprofile-config.properties: they must
 * still reach the configuration every channel of a service starts from.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class KafkaClientDefaultsTest {
  @Inject
  @Identifier("default-kafka-broker")
  Map<String, Object> kafkaDefaults;

  @Test
  void consumersReadCommittedRecordsAndLeaveTheirGroupTenSecondsAfterTheyDie() {
    assertEquals("read_committed", String.valueOf(kafkaDefaults.get("isolation.level")));
    assertEquals("10000", String.valueOf(kafkaDefaults.get("session.timeout.ms")));
    assertEquals("3000", String.valueOf(kafkaDefaults.get("heartbeat.interval.ms")));
  }
}
