package com.rewards.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A user of one partner's app, known by the id the partner's app gives it ({@code externalId}). */
@Entity
@Table(name = "users")
public class User {
  @Id public UUID id;

  @Column(name = "partner_id")
  public UUID partnerId;

  @Column(name = "external_id")
  public String externalId;

  public String username;
  public String email;
  public String phone;

  @Column(name = "first_name")
  public String firstName;

  @Column(name = "last_name")
  public String lastName;

  /** Free-form profile JSON from {@code /api/users/update}. */
  public String info;

  @Column(name = "password_hash")
  public String passwordHash;

  @Column(name = "tokens_valid_after")
  public Instant tokensValidAfter;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
