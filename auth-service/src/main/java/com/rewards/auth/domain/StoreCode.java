package com.rewards.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A one-time code carried by a k-store redirect URL instead of the user's token. */
@Entity
@Table(name = "store_codes")
public class StoreCode {
  @Id
  @Column(name = "code_hash")
  public String codeHash;

  @Column(name = "user_ref")
  public UUID userRef;

  @Column(name = "expires_at")
  public Instant expiresAt;

  @Column(name = "used_at")
  public Instant usedAt;
}
