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
 * decide: two racing first sign-ins cannot link one subject twice. {@code issuer} is the issuer
 * that vouched for the subject: a subject is only an identity within its issuer, so the link only
 * counts while the provider still trusts that issuer (null: linked before issuers were recorded, by
 * a provider since removed).
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

  public String issuer;

  @Column(name = "user_ref")
  public UUID userRef;

  public record Key(UUID partnerId, String provider, String subject) implements Serializable {
    public Key() {
      this(null, null, null);
    }
  }
}
