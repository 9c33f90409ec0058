package com.rewards.loyalty.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One append-only line of a user's points history; {@code points} is signed. */
@Entity
@Table(name = "ledger_entries")
public class LedgerEntry {
  public static final String EARN = "earn";
  public static final String BURN = "burn";
  public static final String EXPIRE = "expire";
  public static final String ADJUST = "adjust";
  public static final String REFUND = "refund";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "user_id")
  public String userId;

  public String kind;
  public long points;

  @Column(name = "balance_after")
  public long balanceAfter;

  /** What caused it: {@code action}, {@code gift}, {@code expiry}, {@code referral}, ... */
  @Column(name = "source_type")
  public String sourceType;

  /** The action code, gift id, redemption id, ... */
  @Column(name = "source_ref")
  public String sourceRef;

  @Column(name = "external_ref")
  public String externalRef;

  public String reason;

  @Column(name = "available_at")
  public Instant availableAt;

  @Column(name = "created_at")
  public Instant createdAt;
}
