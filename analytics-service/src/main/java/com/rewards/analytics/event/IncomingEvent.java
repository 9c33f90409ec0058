package com.rewards.analytics.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A CloudEvent read from another service's topic. Only the envelope is checked here; each consumer
 * asks for the data fields its event types need, and a missing or mistyped one is a {@link
 * MalformedEventException} that sends the record to the DLQ.
 */
public record IncomingEvent(String id, String type, JsonNode envelope, JsonNode data) {

  public static IncomingEvent parse(ObjectMapper mapper, String value) {
    JsonNode node;
    try {
      node = mapper.readTree(value);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new MalformedEventException("not a JSON object");
    }
    JsonNode id = node.get("id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new MalformedEventException("CloudEvent id is missing or not a string");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual() || type.asText().isBlank()) {
      throw new MalformedEventException("CloudEvent type is missing or not a string");
    }
    return new IncomingEvent(id.asText(), type.asText(), node, node.path("data"));
  }

  /**
   * When it happened: the CloudEvent {@code time}, else {@code data.occurred_at}. Producers stamp
   * {@code time} in the transaction of the change, so it is the change's own time even when the
   * record arrives late.
   */
  public Instant occurredAt() {
    JsonNode time = envelope.get("time");
    if (time == null || time.isNull()) {
      time = data.get("occurred_at");
    }
    if (time == null || !time.isTextual()) {
      throw new MalformedEventException("CloudEvent time is missing");
    }
    return instant(time.asText(), "time");
  }

  public String text(String field) {
    requireData();
    JsonNode node = data.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new MalformedEventException("data." + field + " is missing or not a string");
    }
    return node.asText();
  }

  /** A string field that may be absent; present but not a string is still malformed. */
  public String optionalText(String field) {
    requireData();
    JsonNode node = data.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new MalformedEventException("data." + field + " is not a string");
    }
    return node.asText().isBlank() ? null : node.asText();
  }

  public long integer(String field) {
    requireData();
    JsonNode node = data.get(field);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new MalformedEventException("data." + field + " is missing or not an integer");
    }
    return node.asLong();
  }

  public Instant instantField(String field) {
    return instant(text(field), "data." + field);
  }

  private void requireData() {
    if (!data.isObject()) {
      throw new MalformedEventException("CloudEvent data is missing or not an object");
    }
  }

  private static Instant instant(String text, String what) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new MalformedEventException(what + " is not an RFC 3339 date-time");
    }
  }
}
