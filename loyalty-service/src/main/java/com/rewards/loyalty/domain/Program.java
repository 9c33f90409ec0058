package com.rewards.loyalty.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A partner's miles program and its rules. */
@Entity
@Table(name = "programs")
public class Program {
  @Id
  @Column(name = "client_id")
  public String clientId;

  public String name;

  @Column(name = "points_name")
  public String pointsName;

  @Column(name = "expiry_days")
  public Integer expiryDays;

  @Column(name = "pending_days")
  public int pendingDays;

  @Column(name = "daily_points_cap")
  public Long dailyPointsCap;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
