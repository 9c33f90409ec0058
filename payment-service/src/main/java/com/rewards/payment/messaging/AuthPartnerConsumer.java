package com.rewards.payment.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.payment.service.UserLifecycleService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** A partner's secret rotation revokes its older server tokens here too. */
@ApplicationScoped
public class AuthPartnerConsumer {
  private static final Logger LOG = Logger.getLogger(AuthPartnerConsumer.class);

  private final UserLifecycleService lifecycle;
  private final ObjectMapper mapper;

  public AuthPartnerConsumer(UserLifecycleService lifecycle, ObjectMapper mapper) {
    this.lifecycle = lifecycle;
    this.mapper = mapper;
  }

  @Incoming("auth-partners")
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
    return lifecycle
        .partnerSecretRotated(id, clientId, Instant.parse(data.path("tokens_not_before").asText()))
        .replaceWithVoid();
  }
}
