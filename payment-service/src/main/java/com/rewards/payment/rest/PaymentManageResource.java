package com.rewards.payment.rest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.payment.service.ChargeService;
import com.rewards.payment.service.ChargeView;
import com.rewards.payment.service.SubscriptionService;
import com.rewards.payment.service.SubscriptionView;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * The partner's server charges its users, refunds charges and starts and cancels subscriptions.
 * Only its own users' objects: anything of another partner is 404. Stripe failures answer their
 * honest status here (402, 429, 503, ...) with the same codes as the user routes.
 */
@Path("/manage/v1/payments")
@RolesAllowed(Roles.SERVER)
@Tag(name = "payments (partner)")
public class PaymentManageResource {
  /** As every service: a partner's user id, never a namespaced one. */
  static final String USER_ID = "^(?!.*___)[A-Za-z0-9._:@+|-]{1,128}$";

  private final ChargeService charges;
  private final SubscriptionService subscriptions;
  private final SecurityIdentity identity;
  private final int listMax;

  /** {@code amount} in the currency's smallest unit; 99,999,999 is Stripe's own ceiling. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ChargeRequest(
      @NotNull @Min(1) @Max(99_999_999) Long amount,
      @NotBlank @Pattern(regexp = "^[A-Za-z]{3}$", message = "must be an ISO 4217 code")
          String currency,
      @Size(max = 500) String description,
      @Pattern(regexp = UserPaymentResource.STRIPE_ID) String cardId) {}

  public record RefundRequest(@Min(1) @Max(99_999_999) Long amount) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record SubscriptionRequest(
      @NotBlank @Pattern(regexp = UserPaymentResource.STRIPE_ID) String priceId,
      @Min(1) @Max(10_000) Long quantity) {}

  public PaymentManageResource(
      ChargeService charges,
      SubscriptionService subscriptions,
      SecurityIdentity identity,
      @ConfigProperty(name = "rewards.payment.list-max") int listMax) {
    this.charges = charges;
    this.subscriptions = subscriptions;
    this.identity = identity;
    this.listMax = listMax;
  }

  @POST
  @Path("users/{userId}/charges")
  @Operation(
      summary = "Charge the user's default card (or card_id)",
      description =
          "201 with the charge; 402 CARD_DECLINED (the failed charge is recorded), 409"
              + " NO_DEFAULT_CARD, 429/503 when Stripe is limited or down.")
  public Uni<Response> charge(
      @PathParam("userId") @Pattern(regexp = USER_ID) String userId,
      @Valid @NotNull ChargeRequest request,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    return charges
        .charge(
            Callers.of(identity).clientId(),
            userId,
            new ChargeService.ChargeCommand(
                request.amount(),
                request.currency().toLowerCase(Locale.ROOT),
                request.description(),
                request.cardId()),
            idempotencyKey)
        .map(view -> Response.status(201).entity(view).build());
  }

  @GET
  @Path("users/{userId}/charges")
  public Uni<List<ChargeView>> listCharges(
      @PathParam("userId") @Pattern(regexp = USER_ID) String userId) {
    return charges.list(Callers.of(identity).clientId(), userId, listMax);
  }

  @POST
  @Path("charges/{chargeId}/refunds")
  @Operation(
      summary = "Refund a charge, all of it or amount",
      description = "409 CHARGE_NOT_REFUNDABLE or CHARGE_ALREADY_REFUNDED.")
  public Uni<ChargeView> refund(
      @PathParam("chargeId") @Pattern(regexp = UserPaymentResource.STRIPE_ID) String chargeId,
      @Valid RefundRequest request,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    return charges.refund(
        Callers.of(identity).clientId(),
        chargeId,
        request == null ? null : request.amount(),
        idempotencyKey);
  }

  @POST
  @Path("users/{userId}/subscriptions")
  @Operation(
      summary = "Subscribe the user to a Stripe price, paid by the default card",
      description =
          "201; the user is then on hold in auth (no deletion) until the subscription ends. 402"
              + " CARD_DECLINED, 409 NO_DEFAULT_CARD, 400 UNKNOWN_PRICE.")
  public Uni<Response> subscribe(
      @PathParam("userId") @Pattern(regexp = USER_ID) String userId,
      @Valid @NotNull SubscriptionRequest request,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    return subscriptions
        .start(
            Callers.of(identity).clientId(),
            userId,
            request.priceId(),
            request.quantity() == null ? 1 : request.quantity(),
            idempotencyKey)
        .map(view -> Response.status(201).entity(view).build());
  }

  @GET
  @Path("users/{userId}/subscriptions")
  public Uni<List<SubscriptionView>> listSubscriptions(
      @PathParam("userId") @Pattern(regexp = USER_ID) String userId) {
    return subscriptions.list(Callers.of(identity).clientId(), userId, listMax);
  }

  @POST
  @Path("subscriptions/{subscriptionId}/cancel")
  @Operation(
      summary = "Cancel a subscription now",
      description = "Lifts the user's hold; 409 SUBSCRIPTION_NOT_ACTIVE.")
  public Uni<SubscriptionView> cancel(
      @PathParam("subscriptionId") @Pattern(regexp = UserPaymentResource.STRIPE_ID)
          String subscriptionId,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    return subscriptions.cancel(Callers.of(identity).clientId(), subscriptionId, idempotencyKey);
  }
}
