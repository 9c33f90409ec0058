package com.rewards.auth.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * The data of every event on {@code auth.users.v1}. Carries ids and what changed, never a password,
 * a secret or a token; {@code tokensValidAfter} is set on logout, {@code changed} on update.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserEvent(
    String clientId,
    String userId,
    String namespacedUserId,
    Instant occurredAt,
    Instant tokensValidAfter,
    List<String> changed) {}
