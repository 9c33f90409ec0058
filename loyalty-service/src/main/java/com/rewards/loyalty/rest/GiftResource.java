package com.rewards.loyalty.rest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.rewards.loyalty.service.GiftService;
import com.rewards.loyalty.service.RedemptionService;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.platform.rest.Data;
import com.rewards.platform.security.Caller;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestHeader;

/** Document 000's gifts: the list offered to the user, and buying one. */
@Path("/gift")
@RolesAllowed(Roles.USER)
public class GiftResource {
  private final GiftService gifts;
  private final RedemptionService redemptions;
  private final SecurityIdentity identity;

  public record GiftList(List<GiftService.OfferedGift> gifts) {}

  public record BuyRequest(
      @JsonAlias({"gift_id", "id"}) @NotNull UUID giftId, @JsonAlias("dry_run") Boolean dryRun) {}

  public GiftResource(GiftService gifts, RedemptionService redemptions, SecurityIdentity identity) {
    this.gifts = gifts;
    this.redemptions = redemptions;
    this.identity = identity;
  }

  @GET
  @Path("list")
  public Uni<Data<GiftList>> list() {
    Caller caller = Callers.of(identity);
    return gifts.offered(caller.clientId(), caller.userId()).map(g -> Data.of(new GiftList(g)));
  }

  @POST
  @Path("list")
  public Uni<Data<GiftList>> listByPost() {
    return list();
  }

  /**
   * Buys the gift when balance, stock and limits allow: 409 {@code INSUFFICIENT_POINTS}, {@code
   * OUT_OF_STOCK} or {@code LIMIT_REACHED} otherwise, and nothing changes.
   */
  @POST
  @Path("checkavailability")
  public Uni<Data<RedemptionService.Redeemed>> checkAvailability(
      @Valid @NotNull BuyRequest request,
      @QueryParam("dryRun") boolean dryRun,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    Caller caller = Callers.of(identity);
    return redemptions
        .buy(
            caller.clientId(),
            caller.userId(),
            request.giftId(),
            dryRun || Boolean.TRUE.equals(request.dryRun()),
            idempotencyKey)
        .map(Data::of);
  }
}
