package com.rewards.referral.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.platform.event.Inbox;
import com.rewards.platform.security.TokenRevocations;
import com.rewards.referral.service.ReferralService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows auth's users: a logout revokes older platform tokens here too; a deletion removes the
 * participant's personal data (its referrals stay, under a pseudonym) and revokes its tokens.
 */
@ApplicationScoped
public class AuthUserConsumer {
  static final String CONSUMER = "referral-service.auth-users";
  private static final Logger LOG = Logger.getLogger(AuthUserConsumer.class);

  private final ReferralService referrals;
  private final TokenRevocations revocations;
  private final Inbox inbox;
  private final ObjectMapper mapper;

  public AuthUserConsumer(
      ReferralService referrals, TokenRevocations revocations, Inbox inbox, ObjectMapper mapper) {
    this.referrals = referrals;
    this.revocations = revocations;
    this.inbox = inbox;
    this.mapper = mapper;
  }

  @Incoming("auth-users")
  @WithTransaction
  public Uni<Void> consume(String payload) {
    JsonNode event;
    try {
      event = mapper.readTree(payload);
    } catch (Exception e) {
      LOG.warn("Skipping a record of auth.users.v1 that is not JSON");
      return Uni.createFrom().voidItem();
    }
    String id = event.path("id").asText("");
    String type = event.path("type").asText();
    JsonNode data = event.path("data");
    String clientId = data.path("client_id").asText(null);
    String userId = data.path("user_id").asText(null);
    if (id.isEmpty()
        || clientId == null
        || userId == null
        || !(type.equals("auth.user.logged-out.v1") || type.equals("auth.user.deleted.v1"))) {
      return Uni.createFrom().voidItem();
    }
    return inbox
        .once(
            CONSUMER,
            id,
            () ->
                type.equals("auth.user.logged-out.v1")
                    ? revocations.record(
                        clientId, userId, Instant.parse(data.path("tokens_valid_after").asText()))
                    : referrals
                        .forget(
                            id, clientId, userId, Instant.parse(data.path("occurred_at").asText()))
                        .chain(
                            () ->
                                revocations.record(
                                    clientId,
                                    userId,
                                    Instant.parse(data.path("occurred_at").asText()))))
        .replaceWithVoid();
  }
}
