package com.rewards.loyalty.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A bonus, special or news item shown in the app, within its window, by position. */
@Entity
@Table(name = "ads")
public class Ad {
  @Id public UUID id;

  @Column(name = "client_id")
  public String clientId;

  public String kind;
  public String title;
  public String body;

  @Column(name = "image_url")
  public String imageUrl;

  @Column(name = "link_url")
  public String linkUrl;

  @Column(name = "starts_at")
  public Instant startsAt;

  @Column(name = "ends_at")
  public Instant endsAt;

  public int position;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
