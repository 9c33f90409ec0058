package com.rewards.payment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A card attached to a user's Stripe customer: Stripe's id and what may be shown, never a PAN. */
@Entity
@Table(name = "cards")
public class Card {
  @Id public String id;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "user_id")
  public String userId;

  public String brand;
  public String last4;

  @Column(name = "exp_month")
  public Integer expMonth;

  @Column(name = "exp_year")
  public Integer expYear;

  public String funding;
  public String country;

  @Column(name = "address_line1")
  public String addressLine1;

  @Column(name = "address_city")
  public String addressCity;

  @Column(name = "address_zip")
  public String addressZip;

  @Column(name = "address_country")
  public String addressCountry;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
