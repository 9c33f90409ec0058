package com.rewards.loyalty.messaging;

import com.rewards.platform.event.InboundEvent;
import com.rewards.platform.event.Inbox;
import com.rewards.platform.security.TokenRevocations;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A partner's secret rotation revokes its older server tokens here too. */
@ApplicationScoped
public class AuthPartnerConsumer {
  static final String CONSUMER = "loyalty-service.auth-partners";

  private final TokenRevocations revocations;
  private final Inbox inbox;

  public AuthPartnerConsumer(TokenRevocations revocations, Inbox inbox) {
    this.revocations = revocations;
    this.inbox = inbox;
  }

  @Incoming("auth-partners")
  @WithTransaction
  public Uni<Void> consume(String payload) {
    return inbox.consume(CONSUMER, "auth.partners.v1", payload, this::apply);
  }

  private Uni<?> apply(InboundEvent event) {
    String clientId = event.text("client_id");
    if (!"auth.partner.secret-rotated.v1".equals(event.type()) || clientId == null) {
      return Uni.createFrom().voidItem();
    }
    return revocations.record(
        clientId, TokenRevocations.SERVER, Instant.parse(event.text("tokens_not_before")));
  }
}
