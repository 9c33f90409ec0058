package com.rewards.loyalty.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.platform.event.Inbox;
import com.rewards.platform.security.TokenRevocations;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows auth's users: a new user becomes known to the program, a logout revokes older tokens here
 * too, a deletion purges every row of the user and revokes its tokens.
 */
@ApplicationScoped
public class AuthUserConsumer {
  static final String CONSUMER = "loyalty-service.auth-users";
  private static final Logger LOG = Logger.getLogger(AuthUserConsumer.class);

  private final AccountRepository accounts;
  private final TokenRevocations revocations;
  private final Inbox inbox;
  private final ObjectMapper mapper;

  public AuthUserConsumer(
      AccountRepository accounts, TokenRevocations revocations, Inbox inbox, ObjectMapper mapper) {
    this.accounts = accounts;
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
    JsonNode data = event.path("data");
    String clientId = data.path("client_id").asText(null);
    String userId = data.path("user_id").asText(null);
    if (id.isEmpty() || clientId == null || userId == null) {
      return Uni.createFrom().voidItem();
    }
    return inbox
        .once(
            CONSUMER,
            id,
            () ->
                switch (event.path("type").asText()) {
                  case "auth.user.created.v1" -> accounts.createIfAbsent(clientId, userId);
                  case "auth.user.logged-out.v1" ->
                      revocations.record(
                          clientId,
                          userId,
                          Instant.parse(data.path("tokens_valid_after").asText()));
                  case "auth.user.deleted.v1" ->
                      accounts
                          .purge(clientId, userId)
                          .chain(
                              () ->
                                  revocations.record(
                                      clientId,
                                      userId,
                                      Instant.parse(data.path("occurred_at").asText())));
                  default -> Uni.createFrom().voidItem();
                })
        .replaceWithVoid();
  }
}
