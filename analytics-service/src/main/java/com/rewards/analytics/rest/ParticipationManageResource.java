package com.rewards.analytics.rest;

import com.rewards.analytics.service.ParticipationService;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The partner's server reads its whole program's participation, with active-user counts. */
@Path("/manage/v1/analytics")
@RolesAllowed(Roles.SERVER)
public class ParticipationManageResource {
  private final ParticipationService participation;
  private final SecurityIdentity identity;

  public ParticipationManageResource(
      ParticipationService participation, SecurityIdentity identity) {
    this.participation = participation;
    this.identity = identity;
  }

  @GET
  @Path("participation")
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<ParticipationService.History> participation(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("granularity") String granularity) {
    return participation.program(
        Callers.of(identity).clientId(), participation.range(from, to, granularity));
  }
}
