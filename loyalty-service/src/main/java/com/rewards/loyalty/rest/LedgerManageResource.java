package com.rewards.loyalty.rest;

import com.rewards.loyalty.service.AdjustmentService;
import com.rewards.loyalty.service.RedemptionService;
import com.rewards.platform.error.ApiException;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestHeader;

/** The partner's server corrects points and refunds redemptions. */
@Path("/manage/v1")
@RolesAllowed(Roles.SERVER)
public class LedgerManageResource {
  private final AdjustmentService adjustments;
  private final RedemptionService redemptions;
  private final SecurityIdentity identity;

  public record AdjustmentRequest(
      @NotNull @Min(-1_000_000_000) @Max(1_000_000_000) Long points,
      @NotBlank @Size(max = 500) String reason) {}

  public LedgerManageResource(
      AdjustmentService adjustments, RedemptionService redemptions, SecurityIdentity identity) {
    this.adjustments = adjustments;
    this.redemptions = redemptions;
    this.identity = identity;
  }

  @POST
  @Path("users/{userId}/adjustments")
  public Uni<AdjustmentService.Adjusted> adjust(
      @PathParam("userId") @Pattern(regexp = GenerosityResource.USER_ID_PATTERN) String userId,
      @Valid @NotNull AdjustmentRequest request,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    if (request.points() == 0) {
      throw ApiException.badRequest("points must not be zero.");
    }
    return adjustments.adjust(
        Callers.of(identity).clientId(),
        userId,
        request.points(),
        request.reason(),
        idempotencyKey);
  }

  @POST
  @Path("redemptions/{id}/refund")
  public Uni<RedemptionService.Redeemed> refund(
      @PathParam("id") UUID redemptionId, @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    return redemptions.refund(Callers.of(identity).clientId(), redemptionId, idempotencyKey);
  }
}
