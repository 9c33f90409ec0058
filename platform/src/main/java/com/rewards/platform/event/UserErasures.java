package com.rewards.platform.event;

import com.rewards.platform.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A service's part of a user deletion: runs its purge statements counting the rows each touched,
 * and reports the counts on its own erasures topic in the same transaction, so the receipt in
 * auth-service is done exactly when the purge committed.
 */
@ApplicationScoped
public class UserErasures {
  private final Outbox outbox;
  private final String service;

  public UserErasures(
      Outbox outbox, @ConfigProperty(name = "rewards.service-name") String service) {
    this.outbox = outbox;
    this.service = service;
  }

  /**
   * SHA-256 (hex) of the namespaced user id. The one name of a deleted user that receipts and
   * erasure events keep: it finds the receipt again from the id the partner knows, and reads back
   * to no id by itself (a pseudonym: whoever already has a candidate id can test it).
   */
  public static String userHash(String clientId, String userId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(Caller.namespaced(clientId, userId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Runs each statement (bound {@code :c} to the client id and {@code :u} to the user id) in order,
   * in the caller's transaction. Answers the rows each touched, under its key (the table name).
   */
  public static Uni<Map<String, Integer>> run(
      Map<String, String> statements, String clientId, String userId) {
    return run(statements, Map.of("c", clientId, "u", userId));
  }

  /** As above, with every statement bound to each of {@code parameters}. */
  public static Uni<Map<String, Integer>> run(
      Map<String, String> statements, Map<String, Object> parameters) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    return Panache.getSession()
        .chain(
            s ->
                Multi.createFrom()
                    .iterable(statements.entrySet())
                    .onItem()
                    .transformToUniAndConcatenate(
                        e -> {
                          var query = s.createNativeQuery(e.getValue());
                          parameters.forEach(query::setParameter);
                          return query
                              .executeUpdate()
                              .invoke(n -> counts.merge(e.getKey(), n, Integer::sum));
                        })
                    .collect()
                    .last())
        .replaceWith(counts);
  }

  /**
   * Writes {@code type} to {@code topic} through the outbox, in the caller's transaction, keyed by
   * the user's hash (one user's erasures stay in order; no record carries the id).
   */
  public Uni<CloudEvent> completed(
      String topic,
      String type,
      String deletionId,
      String clientId,
      String userId,
      Instant deletedAt,
      Map<String, Integer> removed,
      Map<String, Integer> anonymised) {
    String hash = userHash(clientId, userId);
    return outbox.append(
        topic,
        hash,
        type,
        clientId,
        hash,
        new UserErased(
            clientId,
            hash,
            deletionId,
            deletedAt,
            service,
            removed,
            anonymised,
            Instant.now().truncatedTo(ChronoUnit.MILLIS)));
  }
}
