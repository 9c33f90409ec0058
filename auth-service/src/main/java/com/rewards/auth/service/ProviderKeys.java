package com.rewards.auth.service;

import com.rewards.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.Use;
import org.jose4j.lang.JoseException;

/**
 * The signing keys of external identity providers, read from each provider's JWKS URL and cached
 * per URL. A kid we do not have means the provider rotated, so it triggers a refetch, but at most
 * once per {@link #MIN_REFRESH} per URL: forged kids must not turn us into a request flood against
 * the provider. Callers that arrive while a fetch is under way share it instead of failing. A set
 * older than {@link #MAX_AGE} is refetched too, so a key the provider withdrew stops verifying. The
 * fetch itself is {@link JwksFetcher}'s (address policy, size cap, time limit, no redirects).
 */
@ApplicationScoped
public class ProviderKeys {
  static final Duration MIN_REFRESH = Duration.ofSeconds(10);
  static final Duration MAX_AGE = Duration.ofHours(1);

  /** URLs come from partners' configuration; past this many the cache starts over. */
  private static final int MAX_URLS = 1_000;

  private static final Logger LOG = Logger.getLogger(ProviderKeys.class);

  private final JwksFetcher fetcher;
  private final Map<String, KeySet> sets = new ConcurrentHashMap<>();

  public ProviderKeys(JwksFetcher fetcher) {
    this.fetcher = fetcher;
  }

  /**
   * The public key with this kid at this JWKS URL, if it may verify {@code alg}: a key published
   * for encryption, or for another algorithm, does not count. Fails with 503 {@code
   * IDENTITY_PROVIDER_UNAVAILABLE} when the kid is not among the keys we have and the latest fetch
   * failed: then the token may well be good, and a 401 would blame the user for our problem.
   */
  public Uni<Optional<PublicKey>> find(String jwksUrl, String kid, String alg) {
    if (sets.size() >= MAX_URLS && !sets.containsKey(jwksUrl)) {
      sets.clear();
    }
    KeySet set = sets.computeIfAbsent(jwksUrl, KeySet::new);
    Instant now = Instant.now();
    Uni<Map<String, PublicJsonWebKey>> keys =
        set.keys.containsKey(kid) && now.isBefore(set.fetchedAt.plus(MAX_AGE))
            ? Uni.createFrom().item(set.keys)
            : set.refresh(now);
    return keys.map(
        k -> {
          PublicJsonWebKey jwk = k.get(kid);
          if (jwk == null && set.failing) {
            throw ApiException.unavailable(
                "IDENTITY_PROVIDER_UNAVAILABLE",
                "The identity provider's signing keys cannot be read; retry later.",
                MIN_REFRESH.toSeconds());
          }
          return Optional.ofNullable(jwk)
              .filter(key -> key.getAlgorithm() == null || key.getAlgorithm().equals(alg))
              .map(PublicJsonWebKey::getPublicKey);
        });
  }

  private final class KeySet {
    private final String url;
    private volatile Map<String, PublicJsonWebKey> keys = Map.of();
    private volatile Instant fetchedAt = Instant.EPOCH;
    private volatile boolean failing;
    private Instant attemptedAt = Instant.EPOCH;
    private Uni<Map<String, PublicJsonWebKey>> inFlight;

    KeySet(String url) {
      this.url = url;
    }

    synchronized Uni<Map<String, PublicJsonWebKey>> refresh(Instant now) {
      if (inFlight == null) {
        if (now.isBefore(attemptedAt.plus(MIN_REFRESH))) {
          return Uni.createFrom().item(keys);
        }
        attemptedAt = now;
        inFlight =
            fetch()
                .eventually(
                    () -> {
                      synchronized (this) {
                        inFlight = null;
                      }
                    })
                .memoize()
                .indefinitely();
      }
      return onCallersContext(inFlight);
    }

    /** A failed fetch keeps the keys we had: the provider being down must not sign users out. */
    private Uni<Map<String, PublicJsonWebKey>> fetch() {
      return Uni.createFrom()
          .deferred(() -> fetcher.fetch(url))
          .map(ProviderKeys::parse)
          .invoke(
              parsed -> {
                keys = parsed;
                fetchedAt = Instant.now();
                failing = false;
              })
          .onFailure()
          .recoverWithItem(
              e -> {
                failing = true;
                LOG.warnf("Cannot read the JWKS at %s: %s", url, e.getMessage());
                return keys;
              });
    }
  }

  private static Map<String, PublicJsonWebKey> parse(String json) {
    if (json == null) {
      throw new IllegalStateException("empty body");
    }
    try {
      Map<String, PublicJsonWebKey> parsed = new HashMap<>();
      for (JsonWebKey jwk : new JsonWebKeySet(json).getJsonWebKeys()) {
        if (jwk instanceof PublicJsonWebKey key
            && jwk.getKeyId() != null
            && (jwk.getUse() == null || Use.SIGNATURE.equals(jwk.getUse()))) {
          parsed.putIfAbsent(jwk.getKeyId(), key);
        }
      }
      return Map.copyOf(parsed);
    } catch (JoseException | RuntimeException e) {
      throw new IllegalStateException("not a JWKS", e);
    }
  }

  /**
   * A shared fetch completes on the context of whoever started it; each caller resumes on its own
   * Vert.x context, where its request's reactive session lives.
   */
  private static <T> Uni<T> onCallersContext(Uni<T> shared) {
    return Uni.createFrom()
        .deferred(
            () -> {
              Context context = Vertx.currentContext();
              return context == null ? shared : shared.emitOn(context::runOnContext);
            });
  }
}
