package com.rewards.platform.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.platform.error.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@code Idempotency-Key} for writes. The key is claimed in the same transaction as the write, so a
 * write that rolls back releases its key, and a concurrent duplicate waits on the key's row lock
 * and then replays the committed answer.
 */
@ApplicationScoped
public class Idempotency {
  public static final String HEADER = "Idempotency-Key";
  private static final int MAX_KEY_LENGTH = 255;

  private final ObjectMapper mapper;
  private final Duration retention;

  public Idempotency(
      ObjectMapper mapper,
      @ConfigProperty(name = "rewards.idempotency.retention", defaultValue = "PT24H")
          Duration retention) {
    this.mapper = mapper;
    this.retention = retention;
  }

  /**
   * Runs {@code work} once per (scope, key). Must be called inside the write's transaction.
   *
   * @param scope who is calling what (e.g. partner, user and route), so keys of two callers never
   *     collide
   * @param key the client's key, or null to run without idempotency
   */
  public <T> Uni<T> execute(
      String scope, String key, Object request, Class<T> resultType, Supplier<Uni<T>> work) {
    if (key == null) {
      return work.get();
    }
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      return Uni.createFrom()
          .failure(ApiException.badRequest("Idempotency-Key must be 1 to 255 characters."));
    }
    String hash = hash(request);
    return Panache.getSession()
        .chain(
            session ->
                deleteExpired(session, scope, key)
                    .chain(() -> claim(session, scope, key, hash))
                    .chain(
                        claimed ->
                            claimed
                                ? work.get().call(result -> remember(session, scope, key, result))
                                : replay(session, scope, key, hash, resultType)));
  }

  private Uni<Integer> deleteExpired(Mutiny.Session session, String scope, String key) {
    return session
        .createNativeQuery(
            "delete from idempotency_keys where scope = :scope and idem_key = :key"
                + " and created_at < now() - make_interval(secs => :secs)")
        .setParameter("scope", scope)
        .setParameter("key", key)
        .setParameter("secs", (double) retention.toSeconds())
        .executeUpdate();
  }

  private Uni<Boolean> claim(Mutiny.Session session, String scope, String key, String hash) {
    return session
        .createNativeQuery(
            "insert into idempotency_keys (scope, idem_key, request_hash)"
                + " values (:scope, :key, :hash) on conflict do nothing")
        .setParameter("scope", scope)
        .setParameter("key", key)
        .setParameter("hash", hash)
        .executeUpdate()
        .map(rows -> rows == 1);
  }

  private Uni<Integer> remember(Mutiny.Session session, String scope, String key, Object result) {
    return session
        .createNativeQuery(
            "update idempotency_keys set response_body = :body"
                + " where scope = :scope and idem_key = :key")
        .setParameter("body", json(result))
        .setParameter("scope", scope)
        .setParameter("key", key)
        .executeUpdate();
  }

  private <T> Uni<T> replay(
      Mutiny.Session session, String scope, String key, String hash, Class<T> type) {
    return session
        .createNativeQuery(
            "select request_hash, response_body from idempotency_keys"
                + " where scope = :scope and idem_key = :key",
            Object[].class)
        .setParameter("scope", scope)
        .setParameter("key", key)
        .getSingleResultOrNull()
        .map(
            row -> {
              if (row == null || !hash.equals(row[0])) {
                throw ApiException.conflict(
                    "IDEMPOTENCY_KEY_REUSED",
                    "This Idempotency-Key was used with another request body.");
              }
              if (row[1] == null) {
                throw ApiException.conflict(
                    "IDEMPOTENCY_KEY_IN_PROGRESS", "A request with this key is still running.");
              }
              try {
                return mapper.readValue((String) row[1], type);
              } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored idempotent answer is unreadable", e);
              }
            });
  }

  @Scheduled(every = "1h", delayed = "1m")
  Uni<Void> purgeExpired() {
    return Panache.withTransaction(
            () ->
                Panache.getSession()
                    .chain(
                        s ->
                            s.createNativeQuery(
                                    "delete from idempotency_keys"
                                        + " where created_at < now() - make_interval(secs => :secs)")
                                .setParameter("secs", (double) retention.toSeconds())
                                .executeUpdate()))
        .replaceWithVoid();
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Answer cannot be stored", e);
    }
  }

  private String hash(Object request) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(digest.digest(json(request).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
