package com.rewards.loyalty.messaging;

import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.loyalty.event.LoyaltyEvents;
import com.rewards.platform.event.InboundEvent;
import com.rewards.platform.event.Inbox;
import com.rewards.platform.security.TokenRevocations;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows auth's users: a new user becomes known to the program, a logout revokes older tokens here
 * too, a deletion purges every row of the user, revokes its tokens and reports what it removed
 * ({@code loyalty.user.erased.v1}, for auth's deletion receipt).
 */
@ApplicationScoped
public class AuthUserConsumer {
  static final String CONSUMER = "loyalty-service.auth-users";

  private final AccountRepository accounts;
  private final TokenRevocations revocations;
  private final Inbox inbox;
  private final LoyaltyEvents events;

  public AuthUserConsumer(
      AccountRepository accounts, TokenRevocations revocations, Inbox inbox, LoyaltyEvents events) {
    this.accounts = accounts;
    this.revocations = revocations;
    this.inbox = inbox;
    this.events = events;
  }

  @Incoming("auth-users")
  @WithTransaction
  public Uni<Void> consume(String payload) {
    return inbox.consume(CONSUMER, "auth.users.v1", payload, this::apply);
  }

  private Uni<?> apply(InboundEvent event) {
    String clientId = event.text("client_id");
    String userId = event.text("user_id");
    if (clientId == null || userId == null) {
      return Uni.createFrom().voidItem();
    }
    return switch (event.type()) {
      case "auth.user.created.v1" -> accounts.createIfAbsent(clientId, userId);
      case "auth.user.logged-out.v1" ->
          revocations.record(clientId, userId, Instant.parse(event.text("tokens_valid_after")));
      case "auth.user.deleted.v1" -> erase(event, clientId, userId);
      default -> Uni.createFrom().voidItem();
    };
  }

  private Uni<?> erase(InboundEvent event, String clientId, String userId) {
    Instant deletedAt = Instant.parse(event.text("occurred_at"));
    return accounts
        .purge(clientId, userId)
        .call(() -> revocations.record(clientId, userId, deletedAt))
        .call(
            removed ->
                events.userErased(event.id(), clientId, userId, deletedAt, removed, Map.of()));
  }
}
