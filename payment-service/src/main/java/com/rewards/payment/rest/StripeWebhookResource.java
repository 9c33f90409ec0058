package com.rewards.payment.rest;

import com.rewards.payment.service.WebhookService;
import com.rewards.payment.stripe.StripeSettings;
import com.rewards.payment.stripe.StripeSignature;
import com.rewards.platform.error.ApiException;
import com.stripe.model.Event;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * Stripe's webhooks. The signature is checked over the exact bytes received, before anything is
 * parsed; an event id seen before is acknowledged (so Stripe stops resending) but not applied
 * again.
 */
@Path("/webhooks/stripe")
@PermitAll
// Not a role (the resource is @PermitAll and checks the signature itself), so OpenAPI learns the
// credential from these two annotations.
@SecurityScheme(
    securitySchemeName = StripeWebhookResource.SIGNATURE_SCHEME,
    type = SecuritySchemeType.APIKEY,
    in = SecuritySchemeIn.HEADER,
    apiKeyName = "Stripe-Signature",
    description =
        "Stripe's signature of the exact body: t=<unix seconds>,v1=<hex HMAC-SHA256 of"
            + " \"t.body\" with the webhook signing secret>. Sent by Stripe, not by partners.")
public class StripeWebhookResource {
  static final String SIGNATURE_SCHEME = "stripe-signature";

  private static final Logger LOG = Logger.getLogger(StripeWebhookResource.class);

  private final WebhookService webhooks;
  private final StripeSettings settings;

  public record Ack(boolean received, boolean duplicate) {}

  public StripeWebhookResource(WebhookService webhooks, StripeSettings settings) {
    this.webhooks = webhooks;
    this.settings = settings;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @SecurityRequirement(name = SIGNATURE_SCHEME)
  public Uni<Ack> receive(@RestHeader("Stripe-Signature") String signature, byte[] body) {
    String secret = settings.webhookSecret().filter(s -> !s.isBlank()).orElse(null);
    if (secret == null) {
      LOG.warn("A Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set; refused");
      throw ApiException.unavailable("WEBHOOK_NOT_CONFIGURED", "Webhooks are not configured.", 60);
    }
    switch (StripeSignature.verify(
        body, signature, secret, settings.webhookTolerance(), Instant.now())) {
      case INVALID ->
          throw new ApiException(
              400, "INVALID_SIGNATURE", "The Stripe-Signature does not match the body.");
      case EXPIRED ->
          throw new ApiException(
              400, "SIGNATURE_EXPIRED", "The Stripe-Signature timestamp is outside the tolerance.");
      case VALID -> {}
    }
    Event event = WebhookService.parse(new String(body, StandardCharsets.UTF_8));
    return webhooks.apply(event).map(applied -> new Ack(true, !applied));
  }
}
