package com.rewards.platform.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

  @Test
  void takesTheClusterSecuritySettingsAndNothingElseOfTheServiceDefaults() {
    var p =
        ProducerSettings.idempotent(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/ca.p12",
                "group.id", "consumers-only",
                "auto.offset.reset", "earliest"),
            "kafka:9093",
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofMillis(5));
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
    assertEquals("/etc/kafka/ca.p12", p.get("ssl.truststore.location"));
    assertFalse(p.containsKey("group.id"));
    assertEquals("all", p.get("acks"));
    assertEquals(true, p.get("enable.idempotence"));
    assertEquals("kafka:9093", p.get("bootstrap.servers"));
  }
}
