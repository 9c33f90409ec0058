package com.rewards.payment.stripe;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;

/** How to reach Stripe (or a Stripe-compatible server) and how to check its webhooks. */
@ConfigMapping(prefix = "rewards.payment.stripe")
public interface StripeSettings {
  /** {@code https://api.stripe.com}, or a local Stripe-compatible server in tests. */
  String apiBase();

  /** {@code STRIPE_SECRET_KEY}; never logged. */
  Optional<String> secretKey();

  /** {@code STRIPE_WEBHOOK_SECRET} ({@code whsec_...}); never logged. */
  Optional<String> webhookSecret();

  Duration connectTimeout();

  Duration readTimeout();

  int maxNetworkRetries();

  /** How far a webhook's signed timestamp may be from now, either way. */
  Duration webhookTolerance();
}
