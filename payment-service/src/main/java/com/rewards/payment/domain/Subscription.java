package com.rewards.payment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Set;

/** A Stripe subscription of one user. While it is live the user is on hold in auth-service. */
@Entity
@Table(name = "subscriptions")
public class Subscription {
  public static final String CANCELED = "canceled";

  /**
   * Statuses in which the subscription still stands and may bill the user: these keep the user's
   * hold. {@code incomplete} never got paid and {@code paused} bills nothing, so they hold nothing.
   */
  public static final Set<String> LIVE = Set.of("active", "trialing", "past_due", "unpaid");

  @Id public String id;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "user_id")
  public String userId;

  public String status;

  @Column(name = "price_id")
  public String priceId;

  public Long quantity;

  @Column(name = "current_period_end")
  public Instant currentPeriodEnd;

  @Column(name = "cancel_at_period_end")
  public boolean cancelAtPeriodEnd;

  @Column(name = "canceled_at")
  public Instant canceledAt;

  @Column(name = "stripe_created")
  public Instant stripeCreated;

  @Column(name = "last_event_at")
  public long lastEventAt;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  public static boolean isLive(String status) {
    return status != null && LIVE.contains(status);
  }

  public boolean isLive() {
    return isLive(status);
  }
}
