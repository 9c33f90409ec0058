package com.rewards.auth.messaging;

import com.rewards.auth.domain.UserHold;
import com.rewards.auth.domain.UserHoldRepository;
import com.rewards.platform.event.InboundEvent;
import com.rewards.platform.event.Inbox;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the user holds that block deletion, from payment-service's subscription events: an active
 * subscription places the hold {@code subscription:<id>}, its end lifts it.
 */
@ApplicationScoped
public class UserHoldConsumer {
  static final String CONSUMER = "auth-service.holds";
  static final String SUBSCRIPTION_ACTIVATED = "payment.subscription.activated.v1";
  static final String SUBSCRIPTION_ENDED = "payment.subscription.canceled.v1";

  private final UserHoldRepository holds;
  private final Inbox inbox;

  public UserHoldConsumer(UserHoldRepository holds, Inbox inbox) {
    this.holds = holds;
    this.inbox = inbox;
  }

  @Incoming("payment-holds")
  @WithTransaction
  public Uni<Void> consume(String payload) {
    return inbox.consume(CONSUMER, "payment.payments.v1", payload, this::apply);
  }

  private Uni<?> apply(InboundEvent event) {
    String clientId = event.text("client_id");
    String userId = event.text("user_id");
    String subscription = event.text("subscription_id");
    if (clientId == null || userId == null || subscription == null) {
      return Uni.createFrom().voidItem();
    }
    String bucket = "subscription:" + subscription;
    return switch (event.type()) {
      case SUBSCRIPTION_ACTIVATED -> place(clientId, userId, bucket);
      case SUBSCRIPTION_ENDED -> holds.release(clientId, userId, bucket);
      default -> Uni.createFrom().voidItem();
    };
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
