package com.rewards.loyalty.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * What one credit left to spend. Unreleased lots are pending points; burns take released lots,
 * soonest-expiring first; expiry takes whatever a lot has left at its date.
 */
@Entity
@Table(name = "points_lots")
public class PointsLot {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "user_id")
  public String userId;

  @Column(name = "entry_id")
  public Long entryId;

  public long points;
  public long remaining;

  @Column(name = "available_at")
  public Instant availableAt;

  public boolean released;

  @Column(name = "expires_at")
  public Instant expiresAt;

  @Column(name = "created_at")
  public Instant createdAt;
}
