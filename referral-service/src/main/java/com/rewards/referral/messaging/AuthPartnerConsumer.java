package com.rewards.referral.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.platform.event.Inbox;
import com.rewards.platform.security.TokenRevocations;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** A partner's secret rotation revokes its older server tokens here too. */
@ApplicationScoped
public class AuthPartnerConsumer {
  static final String CONSUMER = "referral-service.auth-partners";
  private static final Logger LOG = Logger.getLogger(AuthPartnerConsumer.class);

  private final TokenRevocations revocations;
  private final Inbox inbox;
  private final ObjectMapper mapper;

  public AuthPartnerConsumer(TokenRevocations revocations, Inbox inbox, ObjectMapper mapper) {
    this.revocations = revocations;
    this.inbox = inbox;
    this.mapper = mapper;
  }

  @Incoming("auth-partners")
  @WithTransaction
  public Uni<Void> consume(String payload) {
    JsonNode event;
    try {
      event = mapper.readTree(payload);
    } catch (Exception e) {
      LOG.warn("Skipping a record of auth.partners.v1 that is not JSON");
      return Uni.createFrom().voidItem();
    }
    JsonNode data = event.path("data");
    String id = event.path("id").asText("");
    String clientId = data.path("client_id").asText(null);
    if (!"auth.partner.secret-rotated.v1".equals(event.path("type").asText())
        || id.isEmpty()
        || clientId == null) {
      return Uni.createFrom().voidItem();
    }
    return inbox
        .once(
            CONSUMER,
            id,
            () ->
                revocations.record(
                    clientId,
                    TokenRevocations.SERVER,
                    Instant.parse(data.path("tokens_not_before").asText())))
        .replaceWithVoid();
  }
}
