package com.rewards.referral.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.platform.event.Inbox;
import com.rewards.referral.domain.ReferralProgram;
import com.rewards.referral.service.ReferralService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The referred user's first qualifying event converts their referral: points earned on {@code
 * loyalty.ledger.v1} (never points from a referral itself, or conversions would feed each other) or
 * a successful charge on {@code payment.payments.v1}, per the partner's trigger setting.
 */
@ApplicationScoped
public class QualifyingEventConsumer {
  static final String LEDGER_CONSUMER = "referral-service.loyalty-ledger";
  static final String PAYMENTS_CONSUMER = "referral-service.payments";
  static final String POINTS_EARNED = "loyalty.points.earned.v1";
  static final String SOURCE_REFERRAL = "referral";
  private static final Logger LOG = Logger.getLogger(QualifyingEventConsumer.class);

  private final ReferralService referrals;
  private final Inbox inbox;
  private final ObjectMapper mapper;
  private final Set<String> paymentSuccessTypes;

  public QualifyingEventConsumer(
      ReferralService referrals,
      Inbox inbox,
      ObjectMapper mapper,
      @ConfigProperty(name = "rewards.referral.payment-success-types")
          Set<String> paymentSuccessTypes) {
    this.referrals = referrals;
    this.inbox = inbox;
    this.mapper = mapper;
    this.paymentSuccessTypes = paymentSuccessTypes;
  }

  @Incoming("loyalty-ledger")
  @WithTransaction
  public Uni<Void> pointsEarned(String payload) {
    JsonNode event = parse(payload, "loyalty.ledger.v1");
    if (event == null
        || !POINTS_EARNED.equals(event.path("type").asText())
        || SOURCE_REFERRAL.equals(event.path("data").path("source_type").asText())) {
      return Uni.createFrom().voidItem();
    }
    return qualify(LEDGER_CONSUMER, event, ReferralProgram.TRIGGER_POINTS_EARNED);
  }

  @Incoming("payments")
  @WithTransaction
  public Uni<Void> payment(String payload) {
    JsonNode event = parse(payload, "payment.payments.v1");
    if (event == null || !paymentSuccessTypes.contains(event.path("type").asText())) {
      return Uni.createFrom().voidItem();
    }
    return qualify(PAYMENTS_CONSUMER, event, ReferralProgram.TRIGGER_PAYMENT);
  }

  private Uni<Void> qualify(String consumer, JsonNode event, String trigger) {
    String id = event.path("id").asText("");
    String clientId = event.path("data").path("client_id").asText(null);
    String userId = event.path("data").path("user_id").asText(null);
    if (id.isEmpty() || clientId == null || userId == null) {
      return Uni.createFrom().voidItem();
    }
    // Most users were never referred: a read spares their events the inbox write.
    return referrals
        .awaitsConversion(clientId, userId)
        .chain(
            open ->
                open
                    ? inbox
                        .once(
                            consumer,
                            id,
                            () -> referrals.onQualifyingEvent(clientId, userId, trigger))
                        .replaceWithVoid()
                    : Uni.createFrom().voidItem());
  }

  private JsonNode parse(String payload, String topic) {
    try {
      return mapper.readTree(payload);
    } catch (Exception e) {
      LOG.warnf("Skipping a record of %s that is not JSON", topic);
      return null;
    }
  }
}
