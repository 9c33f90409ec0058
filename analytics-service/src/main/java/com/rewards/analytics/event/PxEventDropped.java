package com.rewards.analytics.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The data of {@code analytics.px-event.dropped.v1}. {@code attributes} is the app's flat object as
 * sent (strings and numbers only); {@code client_time} is the app's own clock, which nothing trusts
 * for bucketing: statistics use {@code server_time}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PxEventDropped(
    String clientId,
    String userId,
    String namespacedUserId,
    String eventId,
    ObjectNode attributes,
    Instant serverTime,
    Instant clientTime,
    String clientEventId) {}
