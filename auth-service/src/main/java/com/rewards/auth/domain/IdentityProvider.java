package com.rewards.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.UUID;

/**
 * An external OpenID provider a partner accepts ID tokens from, under a name of the partner's
 * choosing. Tokens must come from {@code issuer}, name {@code audience} and verify against a key
 * published at {@code jwksUrl}.
 */
@Entity
@Table(name = "identity_providers")
@IdClass(IdentityProvider.Key.class)
public class IdentityProvider {
  @Id
  @Column(name = "partner_id")
  public UUID partnerId;

  @Id public String name;

  public String issuer;

  @Column(name = "jwks_url")
  public String jwksUrl;

  public String audience;

  public record Key(UUID partnerId, String name) implements Serializable {
    public Key() {
      this(null, null);
    }
  }
}
