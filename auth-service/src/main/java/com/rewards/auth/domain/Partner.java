package com.rewards.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A partner (an app) that owns a program, identified by its client id. */
@Entity
@Table(name = "partners")
public class Partner {
  @Id public UUID id;

  @Column(name = "client_id")
  public String clientId;

  public String name;

  @Column(name = "secret_hash")
  public String secretHash;

  @Column(name = "store_url")
  public String storeUrl;

  @Column(name = "tokens_not_before")
  public Instant tokensNotBefore;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
