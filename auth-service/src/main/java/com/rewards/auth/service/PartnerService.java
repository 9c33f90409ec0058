package com.rewards.auth.service;

import com.rewards.auth.domain.Partner;
import com.rewards.auth.domain.PartnerRepository;
import com.rewards.auth.domain.Secrets;
import com.rewards.auth.event.AuthEvents;
import com.rewards.platform.error.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Partners and their client credentials. A client secret is shown once and stored hashed. */
@ApplicationScoped
public class PartnerService {
  private final PartnerRepository partners;
  private final AuthEvents events;

  /** The only moment the plain secret exists outside the partner's hands. */
  public record Credentials(String clientId, String clientSecret, String name) {}

  public PartnerService(PartnerRepository partners, AuthEvents events) {
    this.partners = partners;
    this.events = events;
  }

  @WithTransaction
  public Uni<Credentials> create(String name, String requestedClientId) {
    String clientId = requestedClientId != null ? requestedClientId : UUID.randomUUID().toString();
    return partners
        .findByClientId(clientId)
        .chain(
            existing -> {
              if (existing != null) {
                throw ApiException.conflict("CLIENT_ID_TAKEN", "This client id is taken.");
              }
              String secret = Secrets.newSecret();
              Partner partner = new Partner();
              partner.id = UUID.randomUUID();
              partner.clientId = clientId;
              partner.name = name;
              partner.secretHash = Secrets.sha256Hex(secret);
              partner.createdAt = Instant.now();
              partner.updatedAt = partner.createdAt;
              return partners
                  .persist(partner)
                  .call(p -> events.partnerCreated(clientId, name))
                  .replaceWith(new Credentials(clientId, secret, name));
            });
  }

  /** A new secret; the old one stops working and server tokens issued before now are revoked. */
  @WithTransaction
  public Uni<Credentials> rotateSecret(String clientId) {
    return existing(clientId)
        .chain(
            partner -> {
              String secret = Secrets.newSecret();
              partner.secretHash = Secrets.sha256Hex(secret);
              partner.tokensNotBefore = Instant.now();
              partner.updatedAt = partner.tokensNotBefore;
              return events
                  .partnerSecretRotated(clientId, partner.tokensNotBefore)
                  .replaceWith(new Credentials(clientId, secret, partner.name));
            });
  }

  /** Client-credentials check; unknown client and wrong secret answer alike. */
  @WithSession
  public Uni<Partner> authenticate(String clientId, String clientSecret) {
    return partners
        .findByClientId(clientId)
        .map(
            partner -> {
              if (partner == null || !Secrets.matchesSha256(clientSecret, partner.secretHash)) {
                throw invalidClient();
              }
              return partner;
            });
  }

  @WithTransaction
  public Uni<Partner> updateStoreUrl(String clientId, String storeUrl) {
    return existing(clientId)
        .invoke(
            partner -> {
              partner.storeUrl = storeUrl;
              partner.updatedAt = Instant.now();
            });
  }

  @WithSession
  public Uni<Partner> find(String clientId) {
    return existing(clientId);
  }

  Uni<Partner> existing(String clientId) {
    return partners
        .findByClientId(clientId)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("No such partner."));
  }

  static ApiException invalidClient() {
    return new ApiException(401, "INVALID_CLIENT", "Unknown client or wrong secret.");
  }
}
