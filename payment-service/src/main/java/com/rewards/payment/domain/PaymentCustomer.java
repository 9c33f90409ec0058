package com.rewards.payment.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/**
 * A user's link to its Stripe customer, its default card (Stripe's {@code default_source}) and the
 * customer metadata of document 002. Locked by every write that must see the user's cards and
 * subscriptions as they are (deleting a card, starting a subscription).
 */
@Entity
@Table(name = "customers")
@IdClass(PaymentCustomer.Key.class)
public class PaymentCustomer {
  @Id
  @Column(name = "client_id")
  public String clientId;

  @Id
  @Column(name = "user_id")
  public String userId;

  @Column(name = "stripe_customer_id")
  public String stripeCustomerId;

  @Column(name = "default_card_id")
  public String defaultCardId;

  @Column(name = "vat_number")
  public String vatNumber;

  @Column(name = "company_name")
  public String companyName;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  public record Key(String clientId, String userId) implements Serializable {
    public Key() {
      this(null, null);
    }
  }
}
