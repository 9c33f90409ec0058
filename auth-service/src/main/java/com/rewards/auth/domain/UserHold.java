package com.rewards.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A reason, owned by another service, why a user may not be deleted yet. */
@Entity
@Table(name = "user_holds")
@IdClass(UserHold.Key.class)
public class UserHold {
  @Id
  @Column(name = "client_id")
  public String clientId;

  @Id
  @Column(name = "user_id")
  public String userId;

  @Id public String bucket;

  public String reason;

  @Column(name = "created_at")
  public Instant createdAt;

  public record Key(String clientId, String userId, String bucket) implements Serializable {
    public Key() {
      this(null, null, null);
    }
  }
}
