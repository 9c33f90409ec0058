package com.rewards.analytics.domain;

import java.util.Locale;

/** A daily counter; its name is the column in {@code partner_daily} and {@code user_daily}. */
public enum Metric {
  EVENTS_DROPPED(true),
  ACTIONS_COMPLETED(true),
  POINTS_EARNED(true),
  POINTS_BURNED(true),
  GIFTS_REDEEMED(true),
  REFERRALS_APPLIED(true),
  REFERRALS_CONVERTED(true),
  CHARGES_SUCCEEDED(true),
  /** Sign-ups: a program figure only, a user is new once. */
  NEW_USERS(false);

  private final boolean perUser;

  Metric(boolean perUser) {
    this.perUser = perUser;
  }

  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean perUser() {
    return perUser;
  }
}
