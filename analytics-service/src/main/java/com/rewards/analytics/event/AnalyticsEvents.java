package com.rewards.analytics.event;

/** Topics and event types analytics-service produces, and the types it reads from others. */
public final class AnalyticsEvents {
  public static final String PX_EVENTS_TOPIC = "analytics.px-events.v1";
  public static final String DLQ_TOPIC = "analytics.dlq.v1";
  public static final String ERASURES_TOPIC = "analytics.erasures.v1";

  public static final String PX_EVENT_DROPPED = "analytics.px-event.dropped.v1";
  public static final String RECORD_DEAD_LETTERED = "analytics.record.dead-lettered.v1";
  public static final String USER_ERASED = "analytics.user.erased.v1";

  public static final String USER_CREATED = "auth.user.created.v1";
  public static final String USER_LOGGED_OUT = "auth.user.logged-out.v1";
  public static final String USER_DELETED = "auth.user.deleted.v1";
  public static final String PARTNER_SECRET_ROTATED = "auth.partner.secret-rotated.v1";
  public static final String POINTS_EARNED = "loyalty.points.earned.v1";
  public static final String POINTS_BURNED = "loyalty.points.burned.v1";
  public static final String GIFT_REDEEMED = "loyalty.gift.redeemed.v1";
  public static final String REFERRAL_APPLIED = "referral.referral.applied.v1";
  public static final String REFERRAL_CONVERTED = "referral.referral.converted.v1";
  public static final String CHARGE_SUCCEEDED = "payment.charge.succeeded.v1";

  private AnalyticsEvents() {}
}
