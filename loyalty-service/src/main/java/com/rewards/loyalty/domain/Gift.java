package com.rewards.loyalty.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A gift users buy with points; {@code stock} null means unlimited. */
@Entity
@Table(name = "gifts")
public class Gift {
  @Id public UUID id;

  @Column(name = "client_id")
  public String clientId;

  public String name;
  public String description;

  @Column(name = "image_url")
  public String imageUrl;

  public long cost;
  public Integer stock;

  @Column(name = "max_per_user")
  public Integer maxPerUser;

  @Column(name = "starts_at")
  public Instant startsAt;

  @Column(name = "ends_at")
  public Instant endsAt;

  public boolean active;
  public int position;

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
