package com.rewards.auth.service;

import com.rewards.platform.security.Caller;
import com.rewards.platform.security.RevocationCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Iterator;

/**
 * auth-service is the source of truth, so it checks revocation against its own tables on every
 * request: a deleted user or partner, a logout, a secret rotation. {@code iat} has second
 * precision, so a token issued in the second of the revocation counts as revoked (the issuer moves
 * new tokens' {@code iat} past it).
 */
@ApplicationScoped
public class AuthRevocationCheck implements RevocationCheck {
  private final Pool pool;

  public AuthRevocationCheck(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Uni<Boolean> isRevoked(Caller caller) {
    Uni<Iterator<Row>> rows =
        caller.kind() == Caller.Kind.USER
            ? pool.preparedQuery(
                    "select u.tokens_valid_after from users u join partners p on p.id = u.partner_id"
                        + " where p.client_id = $1 and u.external_id = $2")
                .execute(Tuple.of(caller.clientId(), caller.userId()))
                .map(r -> r.iterator())
            : pool.preparedQuery("select tokens_not_before from partners where client_id = $1")
                .execute(Tuple.of(caller.clientId()))
                .map(r -> r.iterator());
    return rows.map(
        it -> {
          if (!it.hasNext()) {
            return true;
          }
          OffsetDateTime revokedUpTo = it.next().getOffsetDateTime(0);
          return revokedUpTo != null
              && caller.issuedAt().getEpochSecond() <= revokedUpTo.toEpochSecond();
        });
  }
}
