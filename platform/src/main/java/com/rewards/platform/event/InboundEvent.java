package com.rewards.platform.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** A consumed CloudEvent: what a consumer needs of the envelope, and its data. */
public record InboundEvent(String id, String type, JsonNode data) {

  /**
   * Empty when the record is not JSON or lacks an id or a type: such a record cannot be applied.
   */
  public static Optional<InboundEvent> parse(ObjectMapper mapper, String payload) {
    try {
      JsonNode node = mapper.readTree(payload);
      String id = node.path("id").asText("");
      String type = node.path("type").asText("");
      if (id.isEmpty() || type.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new InboundEvent(id, type, node.path("data")));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** A text member of {@code data}, or null when absent. */
  public String text(String field) {
    JsonNode value = data.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }
}
