package com.rewards.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A one-time code sent to an email or phone the user wants to link; stored hashed. */
@Entity
@Table(name = "otp_codes")
public class OtpCode {
  @Id public UUID id;

  @Column(name = "user_ref")
  public UUID userRef;

  public String channel;
  public String destination;

  @Column(name = "code_hash")
  public String codeHash;

  public int attempts;

  @Column(name = "expires_at")
  public Instant expiresAt;

  @Column(name = "consumed_at")
  public Instant consumedAt;

  @Column(name = "created_at")
  public Instant createdAt;
}
