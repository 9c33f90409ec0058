package com.rewards.analytics.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.analytics.event.PxEventDropped;
import com.rewards.analytics.event.PxEventPublisher;
import com.rewards.analytics.service.ClientEventIds.Claim;
import com.rewards.analytics.service.ClientEventIds.Claimed;
import com.rewards.analytics.service.ClientEventIds.State;
import com.rewards.platform.event.CloudEvent;
import com.rewards.platform.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Stores drops on {@code analytics.px-events.v1}. A drop is "dropped" only once Kafka acknowledged
 * its record; a client event id seen within its retention answers "duplicate" without a second
 * record.
 */
@ApplicationScoped
public class DropService {
  private static final Logger LOG = Logger.getLogger(DropService.class);

  public enum Status {
    DROPPED,
    DUPLICATE,
    /** The client event id was used for another event. */
    CONFLICT,
    /** Kafka did not acknowledge the record: nothing was stored. */
    UNAVAILABLE
  }

  private final ClientEventIds clientEventIds;
  private final PxEventPublisher publisher;
  private final ObjectMapper mapper;
  private final MeterRegistry meters;
  private final String source;

  public DropService(
      ClientEventIds clientEventIds,
      PxEventPublisher publisher,
      ObjectMapper mapper,
      MeterRegistry meters,
      @ConfigProperty(name = "rewards.service-name") String service) {
    this.clientEventIds = clientEventIds;
    this.publisher = publisher;
    this.mapper = mapper;
    this.meters = meters;
    this.source = "/rewards/" + service;
  }

  /** The status of each command, in order. The commands of one call share one server time. */
  public Uni<List<Status>> store(Caller caller, List<DropCommand> commands) {
    Instant serverTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    int n = commands.size();
    String[] hashes = new String[n];
    // A client event id repeated inside one batch is the same event sent twice: only its first
    // occurrence is claimed and published, the others follow its fate.
    Map<String, Integer> firstIndex = new HashMap<>();
    List<Claim> claims = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DropCommand command = commands.get(i);
      if (command.clientEventId() != null) {
        hashes[i] = hash(command);
        if (firstIndex.putIfAbsent(command.clientEventId(), i) == null) {
          claims.add(new Claim(command.clientEventId(), hashes[i], UUID.randomUUID()));
        }
      }
    }
    Uni<List<Claimed>> claimed =
        claims.isEmpty()
            ? Uni.createFrom().item(List.of())
            : clientEventIds.claim(caller.clientId(), caller.userId(), claims);
    return claimed.chain(
        list -> {
          Map<String, Claimed> byId = new HashMap<>();
          list.forEach(c -> byId.put(c.clientEventId(), c));
          Status[] statuses = new Status[n];
          List<Integer> toSend = new ArrayList<>();
          List<ProducerRecord<String, String>> records = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            DropCommand command = commands.get(i);
            String clientEventId = command.clientEventId();
            if (clientEventId != null && firstIndex.get(clientEventId) != i) {
              continue;
            }
            Claimed claim = clientEventId == null ? null : byId.get(clientEventId);
            if (claim != null && claim.state() == State.DUPLICATE) {
              statuses[i] = Status.DUPLICATE;
            } else if (claim != null && claim.state() == State.CONFLICT) {
              statuses[i] = Status.CONFLICT;
            } else {
              UUID eventId = claim == null ? UUID.randomUUID() : claim.eventId();
              toSend.add(i);
              records.add(record(caller, command, eventId, serverTime));
            }
          }
          Uni<List<Throwable>> sent =
              records.isEmpty() ? Uni.createFrom().item(List.of()) : publisher.send(records);
          return sent.chain(
              failures -> {
                List<Claimed> acked = new ArrayList<>();
                Throwable firstFailure = null;
                for (int k = 0; k < toSend.size(); k++) {
                  int i = toSend.get(k);
                  Throwable failure = failures.get(k);
                  if (failure == null) {
                    statuses[i] = Status.DROPPED;
                    String clientEventId = commands.get(i).clientEventId();
                    if (clientEventId != null) {
                      acked.add(byId.get(clientEventId));
                    }
                  } else {
                    statuses[i] = Status.UNAVAILABLE;
                    firstFailure = firstFailure == null ? failure : firstFailure;
                  }
                }
                if (firstFailure != null) {
                  LOG.warnf("Drops were not stored: %s", firstFailure.toString());
                }
                for (int i = 0; i < n; i++) {
                  if (statuses[i] == null) {
                    int first = firstIndex.get(commands.get(i).clientEventId());
                    statuses[i] = follow(statuses[first], hashes[first].equals(hashes[i]));
                  }
                }
                List<Status> result = List.of(statuses);
                result.forEach(this::count);
                if (acked.isEmpty()) {
                  return Uni.createFrom().item(result);
                }
                // The records are stored: a failed confirmation only means a retry publishes
                // once more under the same CloudEvent id, which consumers absorb.
                return clientEventIds
                    .confirm(caller.clientId(), caller.userId(), acked)
                    .onFailure()
                    .recoverWithUni(
                        e -> {
                          LOG.warnf("Could not confirm client event ids: %s", e.toString());
                          return Uni.createFrom().voidItem();
                        })
                    .replaceWith(result);
              });
        });
  }

  /** {@code rewards.analytics.drops{outcome=dropped|duplicate|conflict|unavailable}}. */
  private void count(Status status) {
    meters
        .counter("rewards.analytics.drops", "outcome", status.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  private static Status follow(Status first, boolean sameEvent) {
    if (!sameEvent) {
      return Status.CONFLICT;
    }
    return switch (first) {
      case DROPPED, DUPLICATE -> Status.DUPLICATE;
      default -> first;
    };
  }

  private ProducerRecord<String, String> record(
      Caller caller, DropCommand command, UUID eventId, Instant serverTime) {
    String key = caller.namespacedUserId();
    PxEventDropped data =
        new PxEventDropped(
            caller.clientId(),
            caller.userId(),
            key,
            command.eventId(),
            command.attributes(),
            serverTime,
            command.clientTime(),
            command.clientEventId());
    CloudEvent event =
        new CloudEvent(
            CloudEvent.SPEC_VERSION,
            eventId.toString(),
            source,
            AnalyticsEvents.PX_EVENT_DROPPED,
            serverTime.toString(),
            key,
            "application/json",
            caller.clientId(),
            mapper.valueToTree(data));
    try {
      return PxEventPublisher.record(
          AnalyticsEvents.PX_EVENTS_TOPIC, key, mapper.writeValueAsString(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A drop cannot be serialized", e);
    }
  }

  /** Same event id and attributes (in any key order) = same event. */
  private String hash(DropCommand command) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    command.attributes().fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
    try {
      String canonical = command.eventId() + "\n" + mapper.writeValueAsString(sorted);
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
