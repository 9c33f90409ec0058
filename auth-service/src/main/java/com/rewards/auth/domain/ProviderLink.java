package com.rewards.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.UUID;

/**
 * Ties a provider's subject to the user it signs in as. The primary key makes the first sign-in
 * decide: two racing first sign-ins cannot link one subject twice.
 */
@Entity
@Table(name = "provider_links")
@IdClass(ProviderLink.Key.class)
public class ProviderLink {
  @Id
  @Column(name = "partner_id")
  public UUID partnerId;

  @Id public String provider;

  @Id public String subject;

  @Column(name = "user_ref")
  public UUID userRef;

  public record Key(UUID partnerId, String provider, String subject) implements Serializable {
    public Key() {
      this(null, null, null);
    }
  }
}
