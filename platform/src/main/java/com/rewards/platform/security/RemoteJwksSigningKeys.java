package com.rewards.platform.security;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
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
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Verifying services read auth-service's JWKS, cache it, and refetch it when a token names a kid
 * they do not know (a rotation), at most once per refresh interval so forged kids cannot turn into
 * a flood of requests to auth. Lookups that arrive while a fetch is under way wait for that fetch
 * instead of failing: a freshly started replica gets its first tokens all at once, and refusing
 * every one but the first as unknown (401 for valid tokens) is what a rolling restart showed.
 */
@DefaultBean
@ApplicationScoped
public class RemoteJwksSigningKeys implements SigningKeys {
  private final WebClient client;
  private final URI jwksUrl;
  private final Duration minRefreshInterval;
  private final Map<String, PublicKey> cache = new ConcurrentHashMap<>();
  private volatile Instant lastFetch = Instant.EPOCH;
  // The fetch under way, shared by every lookup that misses meanwhile; null between fetches.
  private final AtomicReference<Uni<Void>> fetching = new AtomicReference<>();

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
    Uni<Void> fetch;
    synchronized (this) {
      fetch = fetching.get();
      if (fetch == null) {
        if (Instant.now().isBefore(lastFetch.plus(minRefreshInterval))) {
          return Uni.createFrom().item(Optional.empty());
        }
        lastFetch = Instant.now();
        fetch = fetchKeys().memoize().indefinitely();
        fetching.set(fetch);
      }
    }
    // The shared fetch completes on the context of whoever subscribed first; each caller goes on
    // on its own (a request's Hibernate Reactive session is bound to its context).
    Context caller = io.vertx.core.Vertx.currentContext();
    Uni<Optional<PublicKey>> found = fetch.map(v -> Optional.ofNullable(cache.get(kid)));
    return caller == null ? found : found.emitOn(task -> caller.runOnContext(v -> task.run()));
  }

  private Uni<Void> fetchKeys() {
    return client
        .getAbs(jwksUrl.toString())
        .timeout(5_000)
        .send()
        .invoke(
            response -> {
              if (response.statusCode() == 200) {
                replace(response.bodyAsString());
              }
            })
        .replaceWithVoid()
        .onTermination()
        .invoke(() -> fetching.set(null));
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
