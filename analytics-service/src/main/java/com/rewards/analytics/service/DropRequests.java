package com.rewards.analytics.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rewards.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads drop bodies from their raw bytes. Binding them to a type would let Jackson coerce {@code
 * true} or {@code null} into something acceptable; reading the tree tells a string from an int from
 * a float and refuses everything else. Sizes and counts are 413, shapes are 400 {@code
 * BAD_REQUEST}.
 */
@ApplicationScoped
public class DropRequests {
  public static final Pattern EVENT_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

  /** Printable ASCII without spaces: UUIDs, ULIDs, counters. */
  public static final Pattern CLIENT_EVENT_ID = Pattern.compile("^[\\x21-\\x7E]{1,128}$");

  private static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
  private static final Map<String, String> BATCH_MEMBERS =
      Map.of(
          "eventId", "eventId",
          "event_id", "eventId",
          "attributes", "attributes",
          "clientEventId", "clientEventId",
          "client_event_id", "clientEventId",
          "clientTime", "clientTime",
          "client_time", "clientTime");

  /** Duplicate keys and trailing content are errors, not "last one wins". */
  private final ObjectMapper strict =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final int maxBodyBytes;
  private final int maxAttributes;
  private final int maxKeyChars;
  private final int maxValueBytes;
  private final int maxBatchEvents;
  private final int maxBatchBytes;

  /** One event of a batch: either a command or why it was refused. */
  public record Item(DropCommand command, ApiException refusal) {}

  public DropRequests(
      @ConfigProperty(name = "rewards.analytics.drop.max-body-bytes") int maxBodyBytes,
      @ConfigProperty(name = "rewards.analytics.drop.max-attributes") int maxAttributes,
      @ConfigProperty(name = "rewards.analytics.drop.max-key-chars") int maxKeyChars,
      @ConfigProperty(name = "rewards.analytics.drop.max-value-bytes") int maxValueBytes,
      @ConfigProperty(name = "rewards.analytics.batch.max-events") int maxBatchEvents,
      @ConfigProperty(name = "rewards.analytics.batch.max-body-bytes") int maxBatchBytes) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxAttributes = maxAttributes;
    this.maxKeyChars = maxKeyChars;
    this.maxValueBytes = maxValueBytes;
    this.maxBatchEvents = maxBatchEvents;
    this.maxBatchBytes = maxBatchBytes;
  }

  /** {@code POST .../events/{eventID}/drop}: the body is the attributes object itself. */
  public DropCommand single(String eventId, byte[] body, String clientEventId, String clientTime) {
    String id = eventId(eventId);
    if (body != null && body.length > maxBodyBytes) {
      throw tooLarge("The body is larger than " + maxBodyBytes + " bytes.");
    }
    return new DropCommand(
        id,
        attributes(parse(body), "The body"),
        clientEventId(clientEventId),
        clientTime(clientTime));
  }

  /**
   * {@code POST .../events/batch}: {@code {"events": [{"event_id", "attributes", "client_event_id",
   * "client_time"}]}}; the camelCase spellings ({@code eventId}, ...) are accepted too.
   */
  public List<Item> batch(byte[] body) {
    if (body != null && body.length > maxBatchBytes) {
      throw tooLarge("The body is larger than " + maxBatchBytes + " bytes.");
    }
    JsonNode root = parse(body);
    JsonNode events = root.isObject() ? root.get("events") : null;
    if (events == null || !events.isArray() || root.size() != 1) {
      throw ApiException.badRequest("The body must be an object with one member, events (array).");
    }
    if (events.isEmpty()) {
      throw ApiException.badRequest("events must not be empty.");
    }
    if (events.size() > maxBatchEvents) {
      throw tooLarge("At most " + maxBatchEvents + " events per batch.");
    }
    List<Item> items = new ArrayList<>(events.size());
    for (JsonNode event : events) {
      try {
        items.add(new Item(item(event), null));
      } catch (ApiException e) {
        items.add(new Item(null, e));
      }
    }
    return items;
  }

  private DropCommand item(JsonNode event) {
    if (!event.isObject()) {
      throw ApiException.badRequest("Each event must be an object.");
    }
    String eventId = null;
    JsonNode attributes = JsonNodeFactory.instance.objectNode();
    String clientEventId = null;
    String clientTime = null;
    Set<String> seen = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String name = BATCH_MEMBERS.get(member.getKey());
      if (name == null) {
        throw ApiException.badRequest(
            "Unknown member; an event has event_id, attributes, client_event_id and client_time.");
      }
      if (!seen.add(name)) {
        throw ApiException.badRequest(name + " is given twice.");
      }
      JsonNode value = member.getValue();
      switch (name) {
        case "eventId" -> eventId = string(value, "event_id");
        case "attributes" -> attributes = value;
        case "clientEventId" -> clientEventId = string(value, "client_event_id");
        default -> clientTime = string(value, "client_time");
      }
    }
    if (eventId == null) {
      throw ApiException.badRequest("event_id is required.");
    }
    return new DropCommand(
        eventId(eventId),
        attributes(attributes, "attributes"),
        clientEventId(clientEventId),
        clientTime(clientTime));
  }

  private JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("The body must be a JSON object.");
    }
    try {
      JsonNode node = strict.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest("The body must be a JSON object.");
      }
      return node;
    } catch (IOException e) {
      throw ApiException.badRequest("The body is not valid JSON.");
    }
  }

  /** A flat object whose values are strings or numbers (int or float), within the limits. */
  ObjectNode attributes(JsonNode node, String what) {
    if (!node.isObject()) {
      throw ApiException.badRequest(what + " must be a JSON object of attributes.");
    }
    if (node.size() > maxAttributes) {
      throw tooLarge("At most " + maxAttributes + " attributes per event.");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> attribute = it.next();
      String key = attribute.getKey();
      if (key.isEmpty()) {
        throw ApiException.badRequest("Attribute names must not be empty.");
      }
      if (key.codePointCount(0, key.length()) > maxKeyChars) {
        throw ApiException.badRequest(
            "Attribute names must be at most " + maxKeyChars + " characters.");
      }
      if (key.chars().anyMatch(Character::isISOControl)) {
        throw ApiException.badRequest("Attribute names must not contain control characters.");
      }
      JsonNode value = attribute.getValue();
      if (value.isTextual()) {
        if (value.textValue().getBytes(StandardCharsets.UTF_8).length > maxValueBytes) {
          throw ApiException.badRequest(
              "Attribute " + key + " is longer than " + maxValueBytes + " bytes.");
        }
      } else if (value.isIntegralNumber()) {
        if (!value.canConvertToLong()) {
          throw ApiException.badRequest(
              "Attribute " + key + " is an integer outside the 64-bit range.");
        }
      } else if (value.isFloatingPointNumber()) {
        if (!Double.isFinite(value.doubleValue())) {
          throw ApiException.badRequest("Attribute " + key + " is not a finite number.");
        }
      } else {
        throw ApiException.badRequest(
            "Attribute " + key + " must be a string or a number (int or float).");
      }
    }
    return (ObjectNode) node;
  }

  private static String eventId(String eventId) {
    if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
      throw ApiException.badRequest("eventID must match " + EVENT_ID.pattern() + ".");
    }
    return eventId;
  }

  private static String clientEventId(String value) {
    if (value == null) {
      return null;
    }
    if (!CLIENT_EVENT_ID.matcher(value).matches()) {
      throw ApiException.badRequest(
          "The client event id must be 1 to 128 printable ASCII characters without spaces.");
    }
    return value;
  }

  private static Instant clientTime(String value) {
    if (value == null) {
      return null;
    }
    try {
      if (value.length() > 64) {
        throw new DateTimeParseException("too long", value, 0);
      }
      return OffsetDateTime.parse(value.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "The client time must be an RFC 3339 date-time, e.g. 2024-05-01T12:00:00.000Z.");
    }
  }

  private static String string(JsonNode value, String name) {
    if (!value.isTextual()) {
      throw ApiException.badRequest(name + " must be a string.");
    }
    return value.textValue();
  }

  private static ApiException tooLarge(String message) {
    return new ApiException(413, PAYLOAD_TOO_LARGE, message);
  }
}
