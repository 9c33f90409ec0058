package com.rewards.loyalty.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A gift bought by a user; refunding it gives the points and the stock back. */
@Entity
@Table(name = "redemptions")
public class Redemption {
  public static final String COMPLETED = "completed";
  public static final String REFUNDED = "refunded";

  @Id public UUID id;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "user_id")
  public String userId;

  @Column(name = "gift_id")
  public UUID giftId;

  public long cost;
  public String state;

  @Column(name = "entry_id")
  public Long entryId;

  @Column(name = "refund_entry")
  public Long refundEntry;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "refunded_at")
  public Instant refundedAt;
}
