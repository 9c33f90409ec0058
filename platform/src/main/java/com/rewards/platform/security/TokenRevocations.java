package com.rewards.platform.security;

import io.quarkus.arc.DefaultBean;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Revocation for services other than auth: a logout, a deletion or a secret rotation seen on auth's
 * topics is recorded here, and tokens issued at or before it are refused. {@code iat} has second
 * precision, so the whole second of the revocation counts as revoked (auth issues new tokens after
 * it).
 */
@DefaultBean
@ApplicationScoped
public class TokenRevocations implements RevocationCheck {
  /** The user id that stands for the partner's server tokens. */
  public static final String SERVER = "*";

  private final Pool pool;
  private final Duration retention;

  public TokenRevocations(
      Pool pool,
      @ConfigProperty(name = "rewards.token.revocation-retention", defaultValue = "P2D")
          Duration retention) {
    this.pool = pool;
    this.retention = retention;
  }

  @Override
  public Uni<Boolean> isRevoked(Caller caller) {
    String userId = caller.kind() == Caller.Kind.USER ? caller.userId() : SERVER;
    return pool.preparedQuery(
            "select valid_after from token_revocations where client_id = $1 and user_id = $2")
        .execute(Tuple.of(caller.clientId(), userId))
        .map(
            rows -> {
              var it = rows.iterator();
              return it.hasNext()
                  && caller.issuedAt().getEpochSecond()
                      <= it.next().getOffsetDateTime(0).toEpochSecond();
            });
  }

  /** Records a revocation inside the consumer's transaction; a later instant always wins. */
  public Uni<Void> record(String clientId, String userId, Instant validAfter) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "insert into token_revocations (client_id, user_id, valid_after)"
                            + " values (:client, :user, :at) on conflict (client_id, user_id)"
                            + " do update set valid_after = greatest(token_revocations.valid_after,"
                            + " excluded.valid_after)")
                    .setParameter("client", clientId)
                    .setParameter("user", userId)
                    .setParameter("at", OffsetDateTime.ofInstant(validAfter, ZoneOffset.UTC))
                    .executeUpdate())
        .replaceWithVoid();
  }

  /**
   * Forgets revocations older than the retention, which is longer than any token lives (auth: user
   * tokens 24 h, server tokens 1 h): every token they refuse has expired by then. A deleted user's
   * id does not stay here for good.
   */
  @Scheduled(every = "1h", delayed = "10m")
  public Uni<Void> purgeExpired() {
    return pool.preparedQuery(
            "delete from token_revocations where valid_after < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) retention.toSeconds()))
        .replaceWithVoid();
  }
}
