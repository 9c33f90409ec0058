package com.rewards.analytics.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * What one consumed event adds to the statistics: the program's counters, and for each user it
 * concerns, theirs and whether it shows the user active. {@code droppedEventId} names the app event
 * of a drop, counted per event id for the program and for the user whose drop it was.
 */
public record Activity(
    String clientId,
    Instant at,
    Map<Metric, Long> program,
    List<UserActivity> users,
    String droppedEventId) {

  public record UserActivity(String userId, Map<Metric, Long> metrics, boolean active) {}

  /** Statistics are kept per UTC day. */
  public LocalDate day() {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }
}
