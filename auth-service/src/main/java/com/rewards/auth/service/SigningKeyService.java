package com.rewards.auth.service;

import com.rewards.auth.domain.SigningKey;
import com.rewards.auth.domain.SigningKeyRepository;
import com.rewards.platform.security.SecretSealer;
import com.rewards.platform.security.SigningKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

/**
 * Owns the ES256 signing keys: creates the first one on demand, rotates them, publishes the JWKS,
 * and resolves a kid for auth-service's own token checks. The active key is re-read every minute so
 * a rotation done by another replica is picked up.
 */
@ApplicationScoped
public class SigningKeyService implements SigningKeys {
  private static final Duration ACTIVE_KEY_REFRESH = Duration.ofMinutes(1);

  private final SigningKeyRepository keys;
  private final SecretSealer sealer;
  private final Duration verifyWindow;
  private final Map<String, PublicKey> publicKeys = new ConcurrentHashMap<>();
  private volatile ActiveKey active;

  public record ActiveKey(String kid, PrivateKey privateKey, Instant loadedAt) {}

  public SigningKeyService(
      SigningKeyRepository keys,
      SecretSealer sealer,
      @ConfigProperty(name = "rewards.auth.user-token-ttl") Duration userTtl,
      @ConfigProperty(name = "rewards.auth.server-token-ttl") Duration serverTtl) {
    this.keys = keys;
    this.sealer = sealer;
    this.verifyWindow = userTtl.compareTo(serverTtl) > 0 ? userTtl : serverTtl;
  }

  public Uni<ActiveKey> activeKey() {
    ActiveKey current = active;
    if (current != null && current.loadedAt().isAfter(Instant.now().minus(ACTIVE_KEY_REFRESH))) {
      return Uni.createFrom().item(current);
    }
    return Panache.withTransaction(
            () -> keys.active().chain(k -> k != null ? Uni.createFrom().item(k) : create()))
        .map(this::remember);
  }

  /** Retires the active key (it keeps verifying until its tokens expire) and starts a new one. */
  public Uni<String> rotate() {
    return Panache.withTransaction(
            () ->
                keys.update("retiredAt = ?1 where retiredAt is null", Instant.now())
                    .chain(this::create))
        .map(this::remember)
        .map(ActiveKey::kid);
  }

  /** The JWKS document: every key that may still verify a live token. */
  public Uni<String> jwks() {
    return activeKey()
        .chain(
            ignored -> Panache.withSession(() -> keys.verifying(Instant.now().minus(verifyWindow))))
        .map(
            list ->
                "{\"keys\":["
                    + String.join(",", list.stream().map(k -> k.publicJwk).toList())
                    + "]}");
  }

  @Override
  public Uni<Optional<PublicKey>> find(String kid) {
    PublicKey cached = publicKeys.get(kid);
    if (cached != null) {
      return Uni.createFrom().item(Optional.of(cached));
    }
    return Panache.withSession(() -> keys.verifying(Instant.now().minus(verifyWindow)))
        .map(
            list -> {
              list.forEach(k -> publicKeys.put(k.kid, publicKeyOf(k)));
              return Optional.ofNullable(
                  list.stream().anyMatch(k -> k.kid.equals(kid)) ? publicKeys.get(kid) : null);
            });
  }

  /** Drops cached public keys so retired keys past their window stop verifying. */
  @Scheduled(every = "10m", delayed = "10m")
  void forgetExpiredKeys() {
    publicKeys.clear();
  }

  private Uni<SigningKey> create() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      SigningKey key = new SigningKey();
      key.kid = UUID.randomUUID().toString();
      key.algorithm = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
      key.sealedPrivateKey = sealer.seal(pair.getPrivate().getEncoded());
      PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
      jwk.setKeyId(key.kid);
      jwk.setUse("sig");
      jwk.setAlgorithm(key.algorithm);
      key.publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
      key.createdAt = Instant.now();
      return keys.persist(key);
    } catch (GeneralSecurityException | JoseException e) {
      return Uni.createFrom().failure(e);
    }
  }

  private ActiveKey remember(SigningKey key) {
    try {
      PrivateKey privateKey =
          KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(sealer.open(key.sealedPrivateKey)));
      publicKeys.put(key.kid, publicKeyOf(key));
      ActiveKey loaded = new ActiveKey(key.kid, privateKey, Instant.now());
      active = loaded;
      return loaded;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Signing key " + key.kid + " is unreadable", e);
    }
  }

  private static PublicKey publicKeyOf(SigningKey key) {
    try {
      return PublicJsonWebKey.Factory.newPublicJwk(key.publicJwk).getPublicKey();
    } catch (JoseException e) {
      throw new IllegalStateException("Public key " + key.kid + " is unreadable", e);
    }
  }
}
