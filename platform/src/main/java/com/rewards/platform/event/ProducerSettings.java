package com.rewards.platform.event;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** The one producer configuration of the platform: idempotent, {@code acks=all}, bounded waits. */
public final class ProducerSettings {
  private ProducerSettings() {}

  /**
   * @param clientDefaults the service's {@code kafka.*} configuration (Quarkus' {@code
   *     default-kafka-broker} map): its security settings (TLS, SASL) apply to this producer too
   * @param deliveryTimeout how long a record may take to be acknowledged before the send fails
   * @param maxBlock how long {@code send} may block for metadata (the broker is away)
   */
  public static Properties idempotent(
      Map<String, Object> clientDefaults,
      String bootstrap,
      Duration deliveryTimeout,
      Duration maxBlock,
      Duration linger) {
    Properties p = new Properties();
    clientDefaults.forEach(
        (key, value) -> {
          if (key.equals("security.protocol")
              || key.startsWith("sasl.")
              || key.startsWith("ssl.")) {
            p.put(key, value);
          }
        });
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Idempotence keeps per-partition order with up to 5 requests in flight.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    int lingerMs = (int) linger.toMillis();
    int deliveryMs = (int) deliveryTimeout.toMillis();
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    // Kafka refuses a delivery timeout below linger + request timeout.
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, deliveryMs - lingerMs - 100));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return p;
  }
}
