package com.rewards.analytics.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** Bucket sizes of the participation history. Weeks are ISO weeks (Monday first), as in SQL. */
public enum Granularity {
  DAY,
  WEEK,
  MONTH;

  /** The {@code date_trunc} unit; a constant, so it may be written into SQL. */
  public String unit() {
    return name().toLowerCase(Locale.ROOT);
  }

  public LocalDate start(LocalDate day) {
    return switch (this) {
      case DAY -> day;
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> day.withDayOfMonth(1);
    };
  }

  public LocalDate next(LocalDate start) {
    return switch (this) {
      case DAY -> start.plusDays(1);
      case WEEK -> start.plusWeeks(1);
      case MONTH -> start.plusMonths(1);
    };
  }

  public static Granularity parse(String value) {
    if (value == null || value.isBlank()) {
      return DAY;
    }
    for (Granularity g : values()) {
      if (g.unit().equalsIgnoreCase(value.trim())) {
        return g;
      }
    }
    return null;
  }
}
