package com.rewards.analytics.messaging;

import com.rewards.analytics.domain.Activity;
import com.rewards.analytics.domain.Metric;
import java.util.EnumMap;
import java.util.Map;

/** Small builders for the activities the consumers record. */
final class Activities {
  private Activities() {}

  static Map<Metric, Long> count(Metric metric) {
    return add(new EnumMap<>(Metric.class), metric, 1);
  }

  static Map<Metric, Long> none() {
    return new EnumMap<>(Metric.class);
  }

  /** Adds a non-zero value; a zero would only write a row of zeros. */
  static Map<Metric, Long> add(Map<Metric, Long> metrics, Metric metric, long value) {
    if (value != 0) {
      metrics.merge(metric, value, Long::sum);
    }
    return metrics;
  }

  static Activity.UserActivity user(String userId, Map<Metric, Long> metrics, boolean active) {
    return new Activity.UserActivity(userId, metrics, active);
  }
}
