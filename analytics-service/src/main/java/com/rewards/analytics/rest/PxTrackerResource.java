package com.rewards.analytics.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.analytics.service.DropCommand;
import com.rewards.analytics.service.DropRequests;
import com.rewards.analytics.service.DropService;
import com.rewards.analytics.service.DropService.Status;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.platform.security.Caller;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Document 003's event drop tracker. Bodies are taken as raw bytes and read by {@link
 * DropRequests}, and any content type is accepted: beacons ({@code navigator.sendBeacon}) send
 * {@code text/plain}, and the body must be a JSON object either way.
 */
@Path("/fe/analytics/px-tracker/events")
@RolesAllowed(Roles.USER)
public class PxTrackerResource {
  public static final String CLIENT_EVENT_ID = "X-Client-Event-Id";
  public static final String CLIENT_TIME = "X-Client-Time";
  static final String DROPPED = "event dropped successfully";
  static final String UNAVAILABLE = "EVENT_STORE_UNAVAILABLE";
  static final String REUSED = "CLIENT_EVENT_ID_REUSED";

  private final DropRequests requests;
  private final DropService drops;
  private final SecurityIdentity identity;
  private final long retryAfterSeconds;

  public record Dropped(String msg) {}

  /** One event of a batch: {@code status} dropped, duplicate, rejected or failed. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EventResult(
      int index, String eventId, String status, Integer httpStatus, String code, String message) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record BatchResult(
      int dropped, int duplicates, int rejected, int failed, List<EventResult> results) {}

  public PxTrackerResource(
      DropRequests requests,
      DropService drops,
      SecurityIdentity identity,
      @ConfigProperty(name = "rewards.analytics.retry-after-seconds") long retryAfterSeconds) {
    this.requests = requests;
    this.drops = drops;
    this.identity = identity;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * 200 only once Kafka acknowledged the event; a known client event id answers 200 again. The
   * platform's {@code Idempotency-Key} is accepted as the client event id too.
   */
  @POST
  @Path("{eventID}/drop")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Dropped> drop(
      @PathParam("eventID") String eventId,
      @RestHeader(CLIENT_EVENT_ID) String clientEventId,
      @RestHeader(Idempotency.HEADER) String idempotencyKey,
      @RestHeader(CLIENT_TIME) String clientTime,
      byte[] body) {
    Caller caller = Callers.of(identity);
    if (clientEventId != null && idempotencyKey != null && !clientEventId.equals(idempotencyKey)) {
      throw ApiException.badRequest(
          CLIENT_EVENT_ID + " and " + Idempotency.HEADER + " name the same thing; they differ.");
    }
    DropCommand command =
        requests.single(
            eventId, body, clientEventId != null ? clientEventId : idempotencyKey, clientTime);
    return drops
        .store(caller, List.of(command))
        .map(
            statuses ->
                switch (statuses.get(0)) {
                  case DROPPED, DUPLICATE -> new Dropped(DROPPED);
                  case CONFLICT -> throw reused();
                  case UNAVAILABLE -> throw unavailable();
                });
  }

  /**
   * Up to 100 events in one request, each with its own result. If no event could be stored because
   * Kafka is unavailable, the whole batch is a 503; when only some failed, the answer is 200 with
   * their results and a {@code Retry-After}.
   */
  @POST
  @Path("batch")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<RestResponse<BatchResult>> batch(byte[] body) {
    Caller caller = Callers.of(identity);
    List<DropRequests.Item> items = requests.batch(body);
    List<DropCommand> commands = new ArrayList<>();
    for (DropRequests.Item item : items) {
      if (item.command() != null) {
        commands.add(item.command());
      }
    }
    Uni<List<Status>> stored =
        commands.isEmpty() ? Uni.createFrom().item(List.of()) : drops.store(caller, commands);
    return stored.map(statuses -> answer(items, statuses));
  }

  private RestResponse<BatchResult> answer(List<DropRequests.Item> items, List<Status> statuses) {
    List<EventResult> results = new ArrayList<>(items.size());
    int dropped = 0;
    int duplicates = 0;
    int rejected = 0;
    int failed = 0;
    int next = 0;
    for (int i = 0; i < items.size(); i++) {
      DropRequests.Item item = items.get(i);
      if (item.command() == null) {
        ApiException refusal = item.refusal();
        rejected++;
        results.add(
            new EventResult(
                i, null, "rejected", refusal.status(), refusal.code(), refusal.getMessage()));
        continue;
      }
      String eventId = item.command().eventId();
      switch (statuses.get(next++)) {
        case DROPPED -> {
          dropped++;
          results.add(new EventResult(i, eventId, "dropped", 200, null, null));
        }
        case DUPLICATE -> {
          duplicates++;
          results.add(new EventResult(i, eventId, "duplicate", 200, null, null));
        }
        case CONFLICT -> {
          rejected++;
          ApiException e = reused();
          results.add(
              new EventResult(i, eventId, "rejected", e.status(), e.code(), e.getMessage()));
        }
        case UNAVAILABLE -> {
          failed++;
          ApiException e = unavailable();
          results.add(new EventResult(i, eventId, "failed", e.status(), e.code(), e.getMessage()));
        }
      }
    }
    if (failed > 0 && dropped == 0 && duplicates == 0) {
      throw unavailable();
    }
    var response =
        RestResponse.ResponseBuilder.ok(
            new BatchResult(dropped, duplicates, rejected, failed, results));
    if (failed > 0) {
      response.header("Retry-After", retryAfterSeconds);
    }
    return response.build();
  }

  private ApiException unavailable() {
    return ApiException.unavailable(
        UNAVAILABLE,
        "The event store is unavailable; the event was not stored.",
        retryAfterSeconds);
  }

  private static ApiException reused() {
    return ApiException.conflict(
        REUSED, "This client event id was already used for another event or other attributes.");
  }
}
