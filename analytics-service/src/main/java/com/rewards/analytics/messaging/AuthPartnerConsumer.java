package com.rewards.analytics.messaging;

import com.rewards.analytics.event.AnalyticsEvents;
import com.rewards.platform.security.TokenRevocations;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A partner's secret rotation revokes its older server tokens here too. */
@ApplicationScoped
public class AuthPartnerConsumer {
  static final String CONSUMER = "analytics-service.auth-partners";

  private final EventIntake intake;
  private final TokenRevocations revocations;

  public AuthPartnerConsumer(EventIntake intake, TokenRevocations revocations) {
    this.intake = intake;
    this.revocations = revocations;
  }

  @Incoming("auth-partners")
  @WithTransaction
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    return intake.accept(
        CONSUMER,
        record,
        event -> {
          if (!AnalyticsEvents.PARTNER_SECRET_ROTATED.equals(event.type())) {
            return null;
          }
          String clientId = event.text("client_id");
          Instant notBefore = event.instantField("tokens_not_before");
          return () -> revocations.record(clientId, TokenRevocations.SERVER, notBefore);
        });
  }
}
