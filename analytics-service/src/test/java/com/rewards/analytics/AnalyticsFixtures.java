package com.rewards.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rewards.platform.testing.TestStack;
import io.agroal.api.AgroalDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes other services' events the way their outbox relays do (CloudEvents, keyed by user,
 * header {@code content-type: application/cloudevents+json}) and reads the analytics database.
 */
final class AnalyticsFixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static KafkaProducer<String, String> producer;

  private AnalyticsFixtures() {}

  static String newClientId() {
    return "p-" + UUID.randomUUID();
  }

  static String newUserId() {
    return "u-" + UUID.randomUUID();
  }

  static synchronized KafkaProducer<String, String> producer() {
    if (producer == null) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      producer = new KafkaProducer<>(p);
    }
    return producer;
  }

  static ProducerRecord<String, String> record(String topic, String key, String value) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
    record
        .headers()
        .add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
    return record;
  }

  static void publish(String topic, String key, String value) {
    try {
      producer().send(record(topic, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("Could not publish to " + topic, e);
    }
  }

  /** A CloudEvent as the platform's producers write it. */
  static String event(String id, String type, String clientId, Instant time, Map<String, ?> data) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("specversion", "1.0");
    node.put("id", id);
    node.put("source", "/rewards/test");
    node.put("type", type);
    node.put("time", time.toString());
    node.put("datacontenttype", "application/json");
    node.put("partnerid", clientId);
    node.set("data", MAPPER.valueToTree(data));
    return node.toString();
  }

  static String key(String clientId, String userId) {
    return clientId + "___" + userId;
  }

  /** Publishes {@code loyalty.points.earned.v1}; answers the event for redelivery tests. */
  static String earned(String clientId, String userId, long points, String source, Instant at) {
    String event = earnedEvent(clientId, userId, points, source, at);
    publish("loyalty.ledger.v1", key(clientId, userId), event);
    return event;
  }

  static String earnedEvent(
      String clientId, String userId, long points, String source, Instant at) {
    return ledgerEvent(
        "loyalty.points.earned.v1", clientId, userId, 1, "earn", points, points, source, at);
  }

  static void burned(String clientId, String userId, long points, Instant at) {
    publish(
        "loyalty.ledger.v1",
        key(clientId, userId),
        ledgerEvent(
            "loyalty.points.burned.v1", clientId, userId, 2, "burn", -points, 0, "gift", at));
  }

  /** A ledger entry's event as loyalty-service writes it. */
  private static String ledgerEvent(
      String type,
      String clientId,
      String userId,
      long entryId,
      String kind,
      long points,
      long balance,
      String source,
      Instant at) {
    return event(
        UUID.randomUUID().toString(),
        type,
        clientId,
        at,
        Map.of(
            "client_id",
            clientId,
            "user_id",
            userId,
            "namespaced_user_id",
            key(clientId, userId),
            "entry_id",
            entryId,
            "kind",
            kind,
            "points",
            points,
            "balance",
            balance,
            "pending",
            0,
            "source_type",
            source,
            "occurred_at",
            at.toString()));
  }

  static void giftRedeemed(String clientId, String userId, Instant at) {
    publish(
        "loyalty.redemptions.v1",
        key(clientId, userId),
        event(
            UUID.randomUUID().toString(),
            "loyalty.gift.redeemed.v1",
            clientId,
            at,
            Map.of(
                "client_id",
                clientId,
                "user_id",
                userId,
                "namespaced_user_id",
                key(clientId, userId),
                "redemption_id",
                UUID.randomUUID().toString(),
                "gift_id",
                UUID.randomUUID().toString(),
                "gift_name",
                "Mug",
                "cost",
                20,
                "state",
                "completed",
                "occurred_at",
                at.toString())));
  }

  /** A drop as analytics-service itself publishes it, at a chosen server time. */
  static String dropped(String clientId, String userId, String eventId, Instant at) {
    String event = droppedEvent(clientId, userId, eventId, at);
    publish("analytics.px-events.v1", key(clientId, userId), event);
    return event;
  }

  static String droppedEvent(String clientId, String userId, String eventId, Instant at) {
    return event(
        UUID.randomUUID().toString(),
        "analytics.px-event.dropped.v1",
        clientId,
        at,
        Map.of(
            "client_id",
            clientId,
            "user_id",
            userId,
            "namespaced_user_id",
            key(clientId, userId),
            "event_id",
            eventId,
            "attributes",
            Map.of("level", 3),
            "server_time",
            at.toString()));
  }

  /**
   * Publishes records in one Kafka transaction: the consumers read committed records only, so they
   * all become visible at once and reach a consumer in as few polls as its limits allow.
   */
  static void publishAtOnce(List<ProducerRecord<String, String>> records) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "analytics-test-" + UUID.randomUUID());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> transactional = new KafkaProducer<>(p)) {
      transactional.initTransactions();
      transactional.beginTransaction();
      records.forEach(transactional::send);
      transactional.commitTransaction();
    }
  }

  static void referral(String type, String clientId, String referrer, String referred, Instant at) {
    publish(
        "referral.referrals.v1",
        key(clientId, referred),
        event(
            UUID.randomUUID().toString(),
            type,
            clientId,
            at,
            Map.of(
                "client_id",
                clientId,
                "referral_id",
                UUID.randomUUID().toString(),
                "referrer_user_id",
                referrer,
                "referred_user_id",
                referred,
                "referrer_points",
                100,
                "referred_points",
                50)));
  }

  static void chargeSucceeded(String clientId, String userId, Instant at) {
    publish(
        "payment.payments.v1",
        key(clientId, userId),
        event(
            UUID.randomUUID().toString(),
            "payment.charge.succeeded.v1",
            clientId,
            at,
            Map.of(
                "client_id",
                clientId,
                "user_id",
                userId,
                "charge_id",
                "ch_" + UUID.randomUUID(),
                "amount",
                999,
                "currency",
                "eur")));
  }

  static void userEvent(String type, String clientId, String userId, Instant at) {
    publish(
        "auth.users.v1",
        key(clientId, userId),
        event(
            UUID.randomUUID().toString(),
            type,
            clientId,
            at,
            Map.of(
                "client_id",
                clientId,
                "user_id",
                userId,
                "namespaced_user_id",
                key(clientId, userId),
                "occurred_at",
                at.toString())));
  }

  static long count(AgroalDataSource db, String sql, Object... args) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
