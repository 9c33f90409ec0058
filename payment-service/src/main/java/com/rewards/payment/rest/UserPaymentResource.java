package com.rewards.payment.rest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.payment.service.CardService;
import com.rewards.payment.service.CardView;
import com.rewards.payment.service.ChargeService;
import com.rewards.payment.service.ChargeView;
import com.rewards.payment.service.CustomerMetadata;
import com.rewards.payment.service.SubscriptionService;
import com.rewards.payment.service.SubscriptionView;
import com.rewards.payment.stripe.StripeGateway;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.platform.rest.Data;
import com.rewards.platform.security.Caller;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * Document 002's payment routes, for the user of the token. The document marks every one
 * deprecated: OpenAPI says so, and {@link DeprecationHeaderFilter} adds the {@code Deprecation}
 * header. Stripe failures keep the document's status 500 with a code that says what happened (see
 * {@link PaymentProblemMapper}); a card id of another user is 404, never their card.
 */
@Deprecated
@Path(UserPaymentResource.BASE)
@RolesAllowed(Roles.USER)
@Tag(name = "payments (document 002, deprecated)")
public class UserPaymentResource {
  static final String BASE = "/api/users/payment";

  /** Stripe object ids: letters, digits and underscores. */
  static final String STRIPE_ID = "^[A-Za-z0-9_]{1,255}$";

  private final CardService cards;
  private final ChargeService charges;
  private final SubscriptionService subscriptions;
  private final SecurityIdentity identity;
  private final int listMax;

  public record AttachRequest(
      @NotBlank(message = "token is required") @Size(max = 255) String token) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record CardAddress(
      @Size(max = 200) String addressLine1,
      @Size(max = 60) String addressCountry,
      @Size(max = 20) String addressZip,
      @Size(max = 100) String addressCity) {}

  public record UpdateCardRequest(
      @NotBlank(message = "id of the card is required") @Pattern(regexp = STRIPE_ID) String id,
      @Valid CardAddress metadata) {}

  public record MetadataRequest(
      @NotNull(message = "metadata is required") @Valid CustomerMetadata metadata) {}

  public UserPaymentResource(
      CardService cards,
      ChargeService charges,
      SubscriptionService subscriptions,
      SecurityIdentity identity,
      @ConfigProperty(name = "rewards.payment.list-max") int listMax) {
    this.cards = cards;
    this.charges = charges;
    this.subscriptions = subscriptions;
    this.identity = identity;
    this.listMax = listMax;
  }

  @POST
  @Path("/")
  @Operation(
      summary = "attachCreditCard: add the card of a Stripe token",
      description = "400 without token; the user's first card becomes the default.",
      deprecated = true)
  public Uni<Data<CardView>> attach(
      @Valid @NotNull(message = "token is required") AttachRequest request,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    Caller caller = Callers.of(identity);
    return cards
        .attach(caller.clientId(), caller.userId(), request.token().trim(), idempotencyKey)
        .map(Data::of);
  }

  @GET
  @Path("/card")
  @Operation(summary = "fetchDefaultCreditCard: 404 when the user has none", deprecated = true)
  public Uni<Data<CardView>> defaultCard() {
    Caller caller = Callers.of(identity);
    return cards.defaultCard(caller.clientId(), caller.userId()).map(Data::of);
  }

  @PUT
  @Path("/card")
  @Operation(
      summary = "updateCreditCard: the card's billing address fields",
      description = "400 without the card id.",
      deprecated = true)
  public Uni<Data<CardView>> updateCard(
      @Valid @NotNull(message = "id of the card is required") UpdateCardRequest request,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    Caller caller = Callers.of(identity);
    CardAddress a =
        request.metadata() == null ? new CardAddress(null, null, null, null) : request.metadata();
    return cards
        .updateAddress(
            caller.clientId(),
            caller.userId(),
            request.id(),
            new StripeGateway.CardAddress(
                a.addressLine1(), a.addressCity(), a.addressZip(), a.addressCountry()),
            idempotencyKey)
        .map(Data::of);
  }

  /** Document 002 lists no card id here; a DELETE without one is its "missing parameters". */
  @DELETE
  @Path("/card")
  @Operation(summary = "deleteCreditCard without a card id: 400", deprecated = true)
  public Uni<CardView> deleteWithoutId() {
    throw ApiException.badRequest("card_id is required.");
  }

  @GET
  @Path("/card/stripe_metadata")
  @Operation(summary = "fetchMetadata: vat_number and company_name", deprecated = true)
  public Uni<CustomerMetadata> metadata() {
    Caller caller = Callers.of(identity);
    return cards.metadata(caller.clientId(), caller.userId());
  }

  @GET
  @Path("/card/{card_id}")
  @Operation(summary = "fetchCreditCard: another user's card is 404", deprecated = true)
  public Uni<Data<CardView>> card(
      @PathParam("card_id") @Pattern(regexp = STRIPE_ID) String cardId) {
    Caller caller = Callers.of(identity);
    return cards.card(caller.clientId(), caller.userId(), cardId).map(Data::of);
  }

  @DELETE
  @Path("/card/{card_id}")
  @Operation(
      summary = "deleteCreditCard",
      description =
          "403 CARD_REQUIRED_BY_SUBSCRIPTION when it is the last card and a subscription is"
              + " active; answers the deleted card.",
      deprecated = true)
  public Uni<CardView> delete(
      @PathParam("card_id") @Pattern(regexp = STRIPE_ID) String cardId,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    Caller caller = Callers.of(identity);
    return cards.delete(caller.clientId(), caller.userId(), cardId, idempotencyKey);
  }

  @POST
  @Path("/card/{card_id}/default")
  @Operation(summary = "setDefaultCard", deprecated = true)
  public Uni<Data<CardView>> makeDefault(
      @PathParam("card_id") @Pattern(regexp = STRIPE_ID) String cardId,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    Caller caller = Callers.of(identity);
    return cards
        .makeDefault(caller.clientId(), caller.userId(), cardId, idempotencyKey)
        .map(Data::of);
  }

  @PUT
  @Path("/stripe_metadata")
  @Operation(
      summary = "updateMetadata: vat_number and company_name (an empty string clears one)",
      deprecated = true)
  public Uni<Data<CustomerMetadata>> updateMetadata(
      @Valid @NotNull(message = "metadata is required") MetadataRequest request,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    Caller caller = Callers.of(identity);
    return cards
        .updateMetadata(caller.clientId(), caller.userId(), request.metadata(), idempotencyKey)
        .map(Data::of);
  }

  @GET
  @Path("/charges")
  @Operation(summary = "listCharges: newest first", deprecated = true)
  public Uni<Data<List<ChargeView>>> charges() {
    Caller caller = Callers.of(identity);
    return charges.list(caller.clientId(), caller.userId(), listMax).map(Data::of);
  }

  /** The document's spelling, kept for its clients. */
  @GET
  @Path("/subcriptions")
  @Operation(summary = "listSubscriptions (the document's spelling)", deprecated = true)
  public Uni<Data<List<SubscriptionView>>> subcriptions() {
    return subscriptions();
  }

  @GET
  @Path("/subscriptions")
  @Operation(summary = "listSubscriptions", deprecated = true)
  public Uni<Data<List<SubscriptionView>>> subscriptions() {
    Caller caller = Callers.of(identity);
    return subscriptions.list(caller.clientId(), caller.userId(), listMax).map(Data::of);
  }
}
