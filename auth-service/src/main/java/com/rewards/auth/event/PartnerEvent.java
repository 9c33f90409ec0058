package com.rewards.auth.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** The data of every event on {@code auth.partners.v1}; never the client secret. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartnerEvent(
    String clientId, String name, Instant occurredAt, Instant tokensNotBefore) {}
