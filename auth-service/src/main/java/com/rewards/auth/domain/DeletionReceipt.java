package com.rewards.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One service's part of a user's deletion receipt. Names the user by hash only. */
@Entity
@Table(name = "deletion_receipts")
@IdClass(DeletionReceipt.Key.class)
public class DeletionReceipt {
  public static final String PENDING = "pending";
  public static final String DONE = "done";

  @Id
  @Column(name = "partner_id")
  public UUID partnerId;

  @Id
  @Column(name = "user_hash")
  public String userHash;

  @Id public String service;

  @Column(name = "deletion_id")
  public UUID deletionId;

  @Column(name = "requested_at")
  public Instant requestedAt;

  public String status;

  /** JSON object: table -> rows deleted. */
  public String removed;

  /** JSON object: table -> rows kept under a pseudonym. */
  public String anonymised;

  @Column(name = "completed_at")
  public Instant completedAt;

  public record Key(UUID partnerId, String userHash, String service) implements Serializable {
    public Key() {
      this(null, null, null);
    }
  }
}
