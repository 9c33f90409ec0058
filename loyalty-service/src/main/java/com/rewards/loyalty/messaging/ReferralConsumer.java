package com.rewards.loyalty.messaging;

import com.rewards.loyalty.service.ReferralRewards;
import com.rewards.platform.event.InboundEvent;
import com.rewards.platform.event.Inbox;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Turns a converted referral into points for both sides, exactly once. */
@ApplicationScoped
public class ReferralConsumer {
  static final String CONSUMER = "loyalty-service.referrals";
  static final String CONVERTED = "referral.referral.converted.v1";

  private final ReferralRewards rewards;
  private final Inbox inbox;

  public ReferralConsumer(ReferralRewards rewards, Inbox inbox) {
    this.rewards = rewards;
    this.inbox = inbox;
  }

  @Incoming("referrals")
  @WithTransaction
  public Uni<Void> consume(String payload) {
    return inbox.consume(CONSUMER, "referral.referrals.v1", payload, this::apply);
  }

  private Uni<?> apply(InboundEvent event) {
    String clientId = event.text("client_id");
    String referralId = event.text("referral_id");
    if (!CONVERTED.equals(event.type()) || clientId == null || referralId == null) {
      return Uni.createFrom().voidItem();
    }
    return rewards
        .credit(
            clientId,
            referralId,
            "referrer",
            event.text("referrer_user_id"),
            event.data().path("referrer_points").asLong(0))
        .chain(
            () ->
                rewards.credit(
                    clientId,
                    referralId,
                    "referred",
                    event.text("referred_user_id"),
                    event.data().path("referred_points").asLong(0)));
  }
}
