package com.rewards.referral.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A partner's API key for document 001: only its SHA-256 and a short visible prefix are kept. */
@Entity
@Table(name = "api_keys")
public class ApiKey {
  @Id public UUID id;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "key_hash")
  public String keyHash;

  public String prefix;
  public String name;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;
}
