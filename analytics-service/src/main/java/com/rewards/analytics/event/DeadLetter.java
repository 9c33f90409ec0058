package com.rewards.analytics.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The data of {@code analytics.record.dead-lettered.v1}: where the record came from, why it was
 * refused, and its value as text (cut at {@code MAX_VALUE_CHARS} so a huge record still fits).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
    String consumer,
    String topic,
    int partition,
    long offset,
    String key,
    String reason,
    String value,
    boolean valueTruncated) {

  public static final int MAX_VALUE_CHARS = 65_536;
}
