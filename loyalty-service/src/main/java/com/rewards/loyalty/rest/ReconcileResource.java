package com.rewards.loyalty.rest;

import com.rewards.loyalty.service.ReconcileService;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The partner's server checks that every balance is explained by the ledger and the lots. */
@Path("/manage/v1/ledger")
@RolesAllowed(Roles.SERVER)
public class ReconcileResource {
  private final ReconcileService reconcile;
  private final SecurityIdentity identity;

  public ReconcileResource(ReconcileService reconcile, SecurityIdentity identity) {
    this.reconcile = reconcile;
    this.identity = identity;
  }

  @GET
  @Path("reconcile")
  public Uni<ReconcileService.Report> reconcile() {
    return reconcile.reconcile(Callers.of(identity).clientId());
  }
}
