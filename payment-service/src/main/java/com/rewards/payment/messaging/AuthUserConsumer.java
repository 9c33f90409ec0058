package com.rewards.payment.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.payment.service.UserLifecycleService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Follows auth's users: a deletion purges the user's payment data, a logout revokes tokens. */
@ApplicationScoped
public class AuthUserConsumer {
  private static final Logger LOG = Logger.getLogger(AuthUserConsumer.class);

  private final UserLifecycleService lifecycle;
  private final ObjectMapper mapper;

  public AuthUserConsumer(UserLifecycleService lifecycle, ObjectMapper mapper) {
    this.lifecycle = lifecycle;
    this.mapper = mapper;
  }

  @Incoming("auth-users")
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
    return switch (event.path("type").asText()) {
      case "auth.user.deleted.v1" ->
          lifecycle
              .userDeleted(id, clientId, userId, Instant.parse(data.path("occurred_at").asText()))
              .replaceWithVoid();
      case "auth.user.logged-out.v1" ->
          lifecycle
              .userLoggedOut(
                  id, clientId, userId, Instant.parse(data.path("tokens_valid_after").asText()))
              .replaceWithVoid();
      default -> Uni.createFrom().voidItem();
    };
  }
}
