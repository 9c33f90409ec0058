package com.rewards.auth.rest;

import com.rewards.auth.service.DeletionReceiptService;
import com.rewards.auth.service.DeletionReceiptService.Receipt;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * A partner's server asks what a user's deletion removed where. Under its own prefix, not under
 * {@code /manage/v1/users/}: the gateway routes that prefix to loyalty-service.
 */
@Path("/manage/v1/deletion-receipts")
@RolesAllowed(Roles.SERVER)
public class DeletionReceiptResource {
  private final DeletionReceiptService receipts;
  private final SecurityIdentity identity;

  public DeletionReceiptResource(DeletionReceiptService receipts, SecurityIdentity identity) {
    this.receipts = receipts;
    this.identity = identity;
  }

  /**
   * The receipt of the partner's user {@code userId}: auth-service's part at once, every other
   * service's once it reported its purge. 404 for a user never deleted or of another partner.
   */
  @GET
  @Path("{userId}")
  public Uni<Receipt> receipt(@PathParam("userId") String userId) {
    return receipts.receipt(Callers.of(identity).clientId(), userId);
  }
}
