package com.rewards.payment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Stripe charge of one user, as last seen through our own call or a webhook. */
@Entity
@Table(name = "charges")
public class Charge {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String PENDING = "pending";

  @Id public String id;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "user_id")
  public String userId;

  public long amount;

  @Column(name = "amount_refunded")
  public long amountRefunded;

  public String currency;
  public String status;
  public String description;

  @Column(name = "card_id")
  public String cardId;

  @Column(name = "failure_code")
  public String failureCode;

  @Column(name = "stripe_created")
  public Instant stripeCreated;

  @Column(name = "last_event_at")
  public long lastEventAt;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  public boolean refunded() {
    return amount > 0 && amountRefunded >= amount;
  }
}
