package com.rewards.loyalty.rest;

import com.rewards.loyalty.service.CatalogService;
import com.rewards.loyalty.service.CatalogService.ActionView;
import com.rewards.loyalty.service.CatalogService.AdView;
import com.rewards.loyalty.service.CatalogService.GiftView;
import com.rewards.loyalty.service.CatalogService.ProgramView;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The partner's server manages its catalog: the program, actions (by code), gifts and their stock,
 * and ads. Everything is the caller's own; another partner's id is a 404.
 */
@Path("/manage/v1")
@RolesAllowed(Roles.SERVER)
public class CatalogManageResource {
  private final CatalogService catalog;
  private final SecurityIdentity identity;

  public record ActionList(List<ActionView> actions) {}

  public record GiftList(List<GiftView> gifts) {}

  public record AdList(List<AdView> ads) {}

  public CatalogManageResource(CatalogService catalog, SecurityIdentity identity) {
    this.catalog = catalog;
    this.identity = identity;
  }

  // ------------------------------------------------------------------ program

  @GET
  @Path("program")
  public Uni<ProgramView> program() {
    return catalog.program(clientId());
  }

  /** Creates (201) or replaces (200) the caller's program. */
  @PUT
  @Path("program")
  public Uni<RestResponse<ProgramView>> putProgram(
      @Valid @NotNull CatalogService.ProgramSettings settings) {
    return catalog
        .putProgram(clientId(), settings)
        .map(
            saved ->
                RestResponse.status(
                    saved.created() ? Response.Status.CREATED : Response.Status.OK, saved.value()));
  }

  // ------------------------------------------------------------------ actions

  @POST
  @Path("actions")
  public Uni<RestResponse<ActionView>> createAction(
      @Valid @NotNull CatalogService.ActionFields fields) {
    return catalog.createAction(clientId(), fields).map(CatalogManageResource::created);
  }

  @GET
  @Path("actions")
  public Uni<ActionList> actions() {
    return catalog.actions(clientId()).map(ActionList::new);
  }

  @GET
  @Path("actions/{code}")
  public Uni<ActionView> action(@PathParam("code") String code) {
    return catalog.action(clientId(), code);
  }

  /** Replaces the action's settings; its code stays. */
  @PUT
  @Path("actions/{code}")
  public Uni<ActionView> updateAction(
      @PathParam("code") String code, @Valid @NotNull CatalogService.ActionFields fields) {
    return catalog.updateAction(clientId(), code, fields);
  }

  /** Deactivates the action (204): users can no longer earn with it, its history stays. */
  @DELETE
  @Path("actions/{code}")
  public Uni<Void> deleteAction(@PathParam("code") String code) {
    return catalog.deactivateAction(clientId(), code);
  }

  // ------------------------------------------------------------------ gifts

  @POST
  @Path("gifts")
  public Uni<RestResponse<GiftView>> createGift(@Valid @NotNull CatalogService.GiftFields fields) {
    return catalog.createGift(clientId(), fields).map(CatalogManageResource::created);
  }

  @GET
  @Path("gifts")
  public Uni<GiftList> gifts() {
    return catalog.gifts(clientId()).map(GiftList::new);
  }

  @GET
  @Path("gifts/{id}")
  public Uni<GiftView> gift(@PathParam("id") UUID id) {
    return catalog.gift(clientId(), id);
  }

  /** Replaces the gift's settings; the stock only if the body names it. */
  @PUT
  @Path("gifts/{id}")
  public Uni<GiftView> updateGift(
      @PathParam("id") UUID id, @Valid @NotNull CatalogService.GiftFields fields) {
    return catalog.updateGift(clientId(), id, fields);
  }

  /** Sets the stock: {@code {"stock": n}}, or {@code {"stock": null}} for unlimited. */
  @POST
  @Path("gifts/{id}/stock")
  public Uni<GiftView> setStock(
      @PathParam("id") UUID id, @Valid @NotNull CatalogService.StockChange change) {
    return catalog.setStock(clientId(), id, change.stock().count());
  }

  @PATCH
  @Path("gifts/{id}/stock")
  public Uni<GiftView> patchStock(
      @PathParam("id") UUID id, @Valid @NotNull CatalogService.StockChange change) {
    return setStock(id, change);
  }

  /** Deactivates the gift (204): no longer offered, its redemptions stay. */
  @DELETE
  @Path("gifts/{id}")
  public Uni<Void> deleteGift(@PathParam("id") UUID id) {
    return catalog.deactivateGift(clientId(), id);
  }

  // ------------------------------------------------------------------ ads

  @POST
  @Path("ads")
  public Uni<RestResponse<AdView>> createAd(@Valid @NotNull CatalogService.AdFields fields) {
    return catalog.createAd(clientId(), fields).map(CatalogManageResource::created);
  }

  @GET
  @Path("ads")
  public Uni<AdList> ads() {
    return catalog.ads(clientId()).map(AdList::new);
  }

  @GET
  @Path("ads/{id}")
  public Uni<AdView> ad(@PathParam("id") UUID id) {
    return catalog.ad(clientId(), id);
  }

  @PUT
  @Path("ads/{id}")
  public Uni<AdView> updateAd(
      @PathParam("id") UUID id, @Valid @NotNull CatalogService.AdFields fields) {
    return catalog.updateAd(clientId(), id, fields);
  }

  @DELETE
  @Path("ads/{id}")
  public Uni<Void> deleteAd(@PathParam("id") UUID id) {
    return catalog.deleteAd(clientId(), id);
  }

  private String clientId() {
    return Callers.of(identity).clientId();
  }

  private static <T> RestResponse<T> created(T body) {
    return RestResponse.status(Response.Status.CREATED, body);
  }
}
