package com.rewards.referral.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A referred user's referral: PENDING until their first qualifying event (or a partner) converts
 * it; FLAGGED ones wait for a partner's approval; DENIED and CONVERTED are final.
 */
@Entity
@Table(name = "referrals")
public class Referral {
  public static final String PENDING = "PENDING";
  public static final String FLAGGED = "FLAGGED";
  public static final String CONVERTED = "CONVERTED";
  public static final String DENIED = "DENIED";

  @Id public UUID id;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "referrer_account_id")
  public String referrerAccountId;

  @Column(name = "referrer_user_id")
  public String referrerUserId;

  @Column(name = "referred_account_id")
  public String referredAccountId;

  @Column(name = "referred_user_id")
  public String referredUserId;

  @Column(name = "referral_code")
  public String referralCode;

  public String state;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "reasons", columnDefinition = "text[]")
  public String[] reasons;

  public String note;

  @Column(name = "qualified_at")
  public Instant qualifiedAt;

  @Column(name = "referrer_points")
  public Long referrerPoints;

  @Column(name = "referred_points")
  public Long referredPoints;

  @Column(name = "conversion_trigger")
  public String conversionTrigger;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "decided_at")
  public Instant decidedAt;

  @Column(name = "converted_at")
  public Instant convertedAt;

  public boolean isOpen() {
    return PENDING.equals(state) || FLAGGED.equals(state);
  }
}
