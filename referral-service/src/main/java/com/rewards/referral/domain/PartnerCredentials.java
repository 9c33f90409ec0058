package com.rewards.referral.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The reads authentication needs, on the plain reactive pool: it runs before any resource, outside
 * a Hibernate session.
 */
@ApplicationScoped
public class PartnerCredentials {
  private final Pool pool;

  /** What verifies a partner's client JWTs; {@code algorithm} null = none registered. */
  public record ClientJwtSettings(
      String algorithm,
      String secretSealed,
      String publicKeyPem,
      String previousAlgorithm,
      String previousSecretSealed,
      String previousPublicKeyPem,
      Instant previousValidUntil,
      boolean requireExp) {}

  public PartnerCredentials(Pool pool) {
    this.pool = pool;
  }

  /** The partner of an active API key with this SHA-256, or null. */
  public Uni<String> apiKeyOwner(String keyHash) {
    return pool.preparedQuery(
            "select client_id from api_keys where key_hash = $1 and revoked_at is null")
        .execute(Tuple.of(keyHash))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
  }

  /** The partner's client-JWT settings, or null when it has no program. */
  public Uni<ClientJwtSettings> clientJwt(String clientId) {
    return pool.preparedQuery(
            "select jwt_algorithm, jwt_secret_sealed, jwt_public_key_pem, jwt_previous_algorithm,"
                + " jwt_previous_secret_sealed, jwt_previous_public_key_pem,"
                + " jwt_previous_valid_until, require_exp from referral_programs"
                + " where client_id = $1")
        .execute(Tuple.of(clientId))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                return null;
              }
              Row r = it.next();
              OffsetDateTime until = r.getOffsetDateTime("jwt_previous_valid_until");
              return new ClientJwtSettings(
                  r.getString("jwt_algorithm"),
                  r.getString("jwt_secret_sealed"),
                  r.getString("jwt_public_key_pem"),
                  r.getString("jwt_previous_algorithm"),
                  r.getString("jwt_previous_secret_sealed"),
                  r.getString("jwt_previous_public_key_pem"),
                  until == null ? null : until.toInstant(),
                  r.getBoolean("require_exp"));
            });
  }
}
