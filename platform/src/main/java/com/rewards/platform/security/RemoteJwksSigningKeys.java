package com.rewards.platform.security;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Verifying services read auth-service's JWKS, cache it, and refetch it when a token names a kid
 * they do not know (a rotation), at most once per refresh interval so forged kids cannot turn into
 * a flood of requests to auth.
 */
@DefaultBean
@ApplicationScoped
public class RemoteJwksSigningKeys implements SigningKeys {
  private final WebClient client;
  private final URI jwksUrl;
  private final Duration minRefreshInterval;
  private final Map<String, PublicKey> cache = new ConcurrentHashMap<>();
  private volatile Instant lastFetch = Instant.EPOCH;

  public RemoteJwksSigningKeys(
      Vertx vertx,
      @ConfigProperty(name = "rewards.token.jwks-url") URI jwksUrl,
      @ConfigProperty(name = "rewards.token.jwks-min-refresh", defaultValue = "PT10S")
          Duration minRefreshInterval) {
    this.client = WebClient.create(vertx);
    this.jwksUrl = jwksUrl;
    this.minRefreshInterval = minRefreshInterval;
  }

  @Override
  public Uni<Optional<PublicKey>> find(String kid) {
    PublicKey cached = cache.get(kid);
    if (cached != null) {
      return Uni.createFrom().item(Optional.of(cached));
    }
    if (Instant.now().isBefore(lastFetch.plus(minRefreshInterval))) {
      return Uni.createFrom().item(Optional.empty());
    }
    lastFetch = Instant.now();
    return client
        .getAbs(jwksUrl.toString())
        .timeout(5_000)
        .send()
        .map(
            response -> {
              if (response.statusCode() == 200) {
                replace(response.bodyAsString());
              }
              return Optional.ofNullable(cache.get(kid));
            });
  }

  private void replace(String json) {
    try {
      for (JsonWebKey jwk : new JsonWebKeySet(json).getJsonWebKeys()) {
        if (jwk instanceof PublicJsonWebKey pub && jwk.getKeyId() != null) {
          cache.put(jwk.getKeyId(), pub.getPublicKey());
        }
      }
    } catch (JoseException e) {
      // A broken JWKS leaves the cache as it was; the next unknown kid retries after the interval.
    }
  }
}
