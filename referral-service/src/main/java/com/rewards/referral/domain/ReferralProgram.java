package com.rewards.referral.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A partner's referral program: what a conversion is worth, what converts, the fraud limits and the
 * key that signs its client JWTs.
 */
@Entity
@Table(name = "referral_programs")
public class ReferralProgram {
  public static final String TRIGGER_POINTS_EARNED = "points_earned";
  public static final String TRIGGER_PAYMENT = "payment";
  public static final String TRIGGER_MANUAL = "manual";

  /** Defaults of a program that a partner has not configured yet. */
  public static final int DEFAULT_VELOCITY_LIMIT = 20;

  public static final int DEFAULT_FLAG_HOURLY_THRESHOLD = 5;

  @Id
  @Column(name = "client_id")
  public String clientId;

  public boolean enabled;

  @Column(name = "referrer_points")
  public long referrerPoints;

  @Column(name = "referred_points")
  public long referredPoints;

  @Column(name = "conversion_trigger")
  public String conversionTrigger;

  @Column(name = "velocity_limit_per_day")
  public Integer velocityLimitPerDay;

  @Column(name = "flag_hourly_threshold")
  public Integer flagHourlyThreshold;

  @Column(name = "jwt_algorithm")
  public String jwtAlgorithm;

  @Column(name = "jwt_secret_sealed")
  public String jwtSecretSealed;

  @Column(name = "jwt_public_key_pem")
  public String jwtPublicKeyPem;

  @Column(name = "jwt_previous_algorithm")
  public String jwtPreviousAlgorithm;

  @Column(name = "jwt_previous_secret_sealed")
  public String jwtPreviousSecretSealed;

  @Column(name = "jwt_previous_public_key_pem")
  public String jwtPreviousPublicKeyPem;

  @Column(name = "jwt_previous_valid_until")
  public Instant jwtPreviousValidUntil;

  @Column(name = "jwt_rotated_at")
  public Instant jwtRotatedAt;

  @Column(name = "require_exp")
  public boolean requireExp;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** A program with the defaults, for a partner seen for the first time. */
  public static ReferralProgram defaults(String clientId, Instant now) {
    ReferralProgram p = new ReferralProgram();
    p.clientId = clientId;
    p.enabled = true;
    p.conversionTrigger = TRIGGER_POINTS_EARNED;
    p.velocityLimitPerDay = DEFAULT_VELOCITY_LIMIT;
    p.flagHourlyThreshold = DEFAULT_FLAG_HOURLY_THRESHOLD;
    p.createdAt = now;
    p.updatedAt = now;
    return p;
  }
}
