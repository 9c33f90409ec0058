package com.rewards.auth.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.auth.domain.UserHold;
import com.rewards.auth.domain.UserHoldRepository;
import com.rewards.platform.event.Inbox;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the user holds that block deletion, from payment-service's subscription events: an active
 * subscription places the hold {@code subscription:<id>}, its end lifts it.
 */
@ApplicationScoped
public class UserHoldConsumer {
  static final String CONSUMER = "auth-service.holds";
  static final String SUBSCRIPTION_ACTIVATED = "payment.subscription.activated.v1";
  static final String SUBSCRIPTION_ENDED = "payment.subscription.canceled.v1";
  private static final Logger LOG = Logger.getLogger(UserHoldConsumer.class);

  private final UserHoldRepository holds;
  private final Inbox inbox;
  private final ObjectMapper mapper;

  public UserHoldConsumer(UserHoldRepository holds, Inbox inbox, ObjectMapper mapper) {
    this.holds = holds;
    this.inbox = inbox;
    this.mapper = mapper;
  }

  @Incoming("payment-holds")
  @WithTransaction
  public Uni<Void> consume(String payload) {
    JsonNode event;
    try {
      event = mapper.readTree(payload);
    } catch (Exception e) {
      LOG.warn("Skipping a record of payment.payments.v1 that is not JSON");
      return Uni.createFrom().voidItem();
    }
    String type = event.path("type").asText();
    String id = event.path("id").asText();
    JsonNode data = event.path("data");
    String clientId = data.path("client_id").asText(null);
    String userId = data.path("user_id").asText(null);
    String subscription = data.path("subscription_id").asText(null);
    boolean relevant = SUBSCRIPTION_ACTIVATED.equals(type) || SUBSCRIPTION_ENDED.equals(type);
    if (!relevant || id.isEmpty() || clientId == null || userId == null || subscription == null) {
      return Uni.createFrom().voidItem();
    }
    String bucket = "subscription:" + subscription;
    return inbox
        .once(
            CONSUMER,
            id,
            () ->
                SUBSCRIPTION_ACTIVATED.equals(type)
                    ? place(clientId, userId, bucket)
                    : holds.release(clientId, userId, bucket))
        .replaceWithVoid();
  }

  private Uni<?> place(String clientId, String userId, String bucket) {
    return holds
        .findById(new UserHold.Key(clientId, userId, bucket))
        .chain(
            existing -> {
              if (existing != null) {
                return Uni.createFrom().item(existing);
              }
              UserHold hold = new UserHold();
              hold.clientId = clientId;
              hold.userId = userId;
              hold.bucket = bucket;
              hold.reason = "active subscription";
              hold.createdAt = Instant.now();
              return holds.persist(hold);
            });
  }
}
