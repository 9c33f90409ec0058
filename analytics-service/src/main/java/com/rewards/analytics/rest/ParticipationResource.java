package com.rewards.analytics.rest;

import com.rewards.analytics.service.ParticipationService;
import com.rewards.platform.security.Caller;
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

/** Document 003's historical participation statistics: the calling user's own, nobody else's. */
@Path("/fe/analytics/participation")
@RolesAllowed(Roles.USER)
public class ParticipationResource {
  private final ParticipationService participation;
  private final SecurityIdentity identity;

  public ParticipationResource(ParticipationService participation, SecurityIdentity identity) {
    this.participation = participation;
    this.identity = identity;
  }

  @GET
  @Path("history")
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<ParticipationService.History> history(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("granularity") String granularity) {
    Caller caller = Callers.of(identity);
    return participation.user(
        caller.clientId(), caller.userId(), participation.range(from, to, granularity));
  }
}
