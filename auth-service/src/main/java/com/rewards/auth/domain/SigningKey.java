package com.rewards.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A token signing key. The newest unretired key signs; a retired key stays in the JWKS until every
 * token it signed has expired.
 */
@Entity
@Table(name = "signing_keys")
public class SigningKey {
  @Id public String kid;
  public String algorithm;

  @Column(name = "private_key")
  public String sealedPrivateKey;

  @Column(name = "public_jwk")
  public String publicJwk;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "retired_at")
  public Instant retiredAt;
}
