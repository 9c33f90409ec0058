package com.rewards.referral.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A user of a partner's referral program, with the referral code they share. */
@Entity
@Table(name = "participants")
public class Participant {
  @Id public UUID id;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "account_id")
  public String accountId;

  @Column(name = "user_id")
  public String userId;

  public String email;

  @Column(name = "first_name")
  public String firstName;

  @Column(name = "last_name")
  public String lastName;

  public String locale;

  @Column(name = "image_url")
  public String imageUrl;

  @Column(name = "referral_code")
  public String referralCode;

  public boolean referable;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "segments", columnDefinition = "text[]")
  public String[] segments;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** First letter of the last name: what another user may see of it. */
  public String lastInitial() {
    return lastName == null || lastName.isBlank()
        ? null
        : lastName.strip().substring(0, lastName.strip().offsetByCodePoints(0, 1));
  }
}
