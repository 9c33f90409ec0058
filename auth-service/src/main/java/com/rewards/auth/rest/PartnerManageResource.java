package com.rewards.auth.rest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.rewards.auth.service.PartnerService;
import com.rewards.auth.service.StoreRedirectService;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

/** A partner's server manages its own identity settings. */
@Path("/manage/v1")
@RolesAllowed(Roles.SERVER)
public class PartnerManageResource {
  private final PartnerService partners;
  private final StoreRedirectService store;
  private final SecurityIdentity identity;

  public record PartnerSettings(String clientId, String name, String storeUrl) {}

  public record SettingsChange(
      @JsonAlias("store_url") @NotBlank @Size(max = 2000) @Pattern(regexp = "^https?://\\S+$")
          String storeUrl) {}

  public record StoreCodeRedemption(@NotBlank @Size(max = 100) String code) {}

  public PartnerManageResource(
      PartnerService partners, StoreRedirectService store, SecurityIdentity identity) {
    this.partners = partners;
    this.store = store;
    this.identity = identity;
  }

  @GET
  @Path("partner")
  public Uni<PartnerSettings> settings() {
    return partners
        .find(Callers.of(identity).clientId())
        .map(p -> new PartnerSettings(p.clientId, p.name, p.storeUrl));
  }

  @PUT
  @Path("partner")
  public Uni<PartnerSettings> update(@Valid @NotNull SettingsChange change) {
    return partners
        .updateStoreUrl(Callers.of(identity).clientId(), change.storeUrl())
        .map(p -> new PartnerSettings(p.clientId, p.name, p.storeUrl));
  }

  /** The store's server exchanges a redirect's one-time code for the user. */
  @POST
  @Path("k-store/redeem")
  public Uni<StoreRedirectService.Redeemed> redeem(@Valid @NotNull StoreCodeRedemption request) {
    return store.redeem(Callers.of(identity).clientId(), request.code());
  }
}
