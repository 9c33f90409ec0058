package com.rewards.loyalty.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An action a user completes to earn points ("generosity"), with its caps and window. */
@Entity
@Table(name = "actions")
public class Action {
  @Id public UUID id;

  @Column(name = "client_id")
  public String clientId;

  public String code;
  public String name;
  public String description;
  public long points;

  @Column(name = "max_per_user")
  public Integer maxPerUser;

  @Column(name = "max_per_user_day")
  public Integer maxPerUserDay;

  @Column(name = "starts_at")
  public Instant startsAt;

  @Column(name = "ends_at")
  public Instant endsAt;

  public boolean active;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  public boolean isOpenAt(Instant at) {
    return active
        && (startsAt == null || !at.isBefore(startsAt))
        && (endsAt == null || at.isBefore(endsAt));
  }
}
