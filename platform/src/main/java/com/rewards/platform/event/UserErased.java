package com.rewards.platform.event;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Map;

/**
 * The data of every {@code <service>.user.erased.v1}: what one service removed of a deleted user,
 * table by table, for auth's deletion receipt. Names the user only by {@link
 * UserErasures#userHash}: the event outlives the deletion on its topic, so it must not carry what
 * was erased.
 *
 * @param deletionId the id of the {@code auth.user.deleted.v1} event that asked for the erasure
 * @param removed rows deleted, per table (zero included: the table was looked at)
 * @param anonymised rows kept for the partner's figures but re-keyed to a random pseudonym
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UserErased(
    String clientId,
    String userHash,
    String deletionId,
    Instant deletedAt,
    String service,
    Map<String, Integer> removed,
    Map<String, Integer> anonymised,
    Instant erasedAt) {}
