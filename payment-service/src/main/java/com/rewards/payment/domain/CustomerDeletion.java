package com.rewards.payment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Stripe customer of a deleted user that Stripe has not yet confirmed deleting. */
@Entity
@Table(name = "stripe_customer_deletions")
public class CustomerDeletion {
  @Id
  @Column(name = "stripe_customer_id")
  public String stripeCustomerId;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "user_id")
  public String userId;

  public int attempts;

  @Column(name = "next_attempt_at")
  public Instant nextAttemptAt;

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "created_at")
  public Instant createdAt;
}
