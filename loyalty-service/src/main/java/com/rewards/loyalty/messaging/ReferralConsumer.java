package com.rewards.loyalty.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.loyalty.service.ReferralRewards;
import com.rewards.platform.event.Inbox;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Turns a converted referral into points for both sides, exactly once. */
@ApplicationScoped
public class ReferralConsumer {
  static final String CONSUMER = "loyalty-service.referrals";
  static final String CONVERTED = "referral.referral.converted.v1";
  private static final Logger LOG = Logger.getLogger(ReferralConsumer.class);

  private final ReferralRewards rewards;
  private final Inbox inbox;
  private final ObjectMapper mapper;

  public ReferralConsumer(ReferralRewards rewards, Inbox inbox, ObjectMapper mapper) {
    this.rewards = rewards;
    this.inbox = inbox;
    this.mapper = mapper;
  }

  @Incoming("referrals")
  @WithTransaction
  public Uni<Void> consume(String payload) {
    JsonNode event;
    try {
      event = mapper.readTree(payload);
    } catch (Exception e) {
      LOG.warn("Skipping a record of referral.referrals.v1 that is not JSON");
      return Uni.createFrom().voidItem();
    }
    JsonNode data = event.path("data");
    String id = event.path("id").asText("");
    String clientId = data.path("client_id").asText(null);
    String referralId = data.path("referral_id").asText(null);
    if (!CONVERTED.equals(event.path("type").asText())
        || id.isEmpty()
        || clientId == null
        || referralId == null) {
      return Uni.createFrom().voidItem();
    }
    return inbox
        .once(
            CONSUMER,
            id,
            () ->
                rewards
                    .credit(
                        clientId,
                        referralId,
                        "referrer",
                        data.path("referrer_user_id").asText(null),
                        data.path("referrer_points").asLong(0))
                    .chain(
                        () ->
                            rewards.credit(
                                clientId,
                                referralId,
                                "referred",
                                data.path("referred_user_id").asText(null),
                                data.path("referred_points").asLong(0))))
        .replaceWithVoid();
  }
}
