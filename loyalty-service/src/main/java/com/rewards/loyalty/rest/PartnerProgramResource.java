package com.rewards.loyalty.rest;

import com.rewards.loyalty.service.ProgramViewService;
import com.rewards.platform.rest.Data;
import com.rewards.platform.security.Caller;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * Document 000's program views: {@code partner/getprog} for a user who has not signed in (the
 * partner is named by {@code client_id}), {@code partner/initialcheckstore} for a signed-in one.
 */
@Path("/partner")
public class PartnerProgramResource {
  /** The client ids auth-service hands out. */
  static final String CLIENT_ID_PATTERN = "^[A-Za-z0-9-]{3,64}$";

  private final ProgramViewService views;
  private final SecurityIdentity identity;

  public PartnerProgramResource(ProgramViewService views, SecurityIdentity identity) {
    this.views = views;
    this.identity = identity;
  }

  /** The program, its open actions and gifts: public, so nothing about any user. */
  @GET
  @Path("getprog")
  @PermitAll
  public Uni<Data<ProgramViewService.ProgramView>> getProg(
      @QueryParam("client_id") @NotBlank @Pattern(regexp = CLIENT_ID_PATTERN) String clientId) {
    return views.program(clientId).map(Data::of);
  }

  @POST
  @Path("getprog")
  @PermitAll
  public Uni<Data<ProgramViewService.ProgramView>> getProgByPost(
      @QueryParam("client_id") @NotBlank @Pattern(regexp = CLIENT_ID_PATTERN) String clientId) {
    return getProg(clientId);
  }

  /** getprog of the caller's partner, plus the caller's points, history and offered gifts. */
  @GET
  @Path("initialcheckstore")
  @RolesAllowed(Roles.USER)
  public Uni<Data<ProgramViewService.StoreView>> initialCheckStore() {
    Caller caller = Callers.of(identity);
    return views.store(caller.clientId(), caller.userId()).map(Data::of);
  }

  @POST
  @Path("initialcheckstore")
  @RolesAllowed(Roles.USER)
  public Uni<Data<ProgramViewService.StoreView>> initialCheckStoreByPost() {
    return initialCheckStore();
  }
}
