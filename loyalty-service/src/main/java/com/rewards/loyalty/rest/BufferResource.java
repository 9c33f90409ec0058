package com.rewards.loyalty.rest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.rewards.loyalty.service.EarnService;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * Document 000's {@code buffer/store}: the partner's server validates and stores an action for a
 * user, de-duplicated on the partner's transaction id.
 */
@Path("/buffer")
public class BufferResource {
  private final EarnService earn;
  private final SecurityIdentity identity;

  public record BufferStoreRequest(
      @JsonAlias("user_id") @NotBlank @Pattern(regexp = GenerosityResource.USER_ID_PATTERN)
          String userId,
      @JsonAlias({"action_code", "code"})
          @NotBlank
          @Pattern(regexp = GenerosityResource.CODE_PATTERN)
          String actionCode,
      @JsonAlias("transaction_id") @NotBlank @Size(max = 128) String transactionId,
      @JsonAlias("dry_run") Boolean dryRun) {}

  public BufferResource(EarnService earn, SecurityIdentity identity) {
    this.earn = earn;
    this.identity = identity;
  }

  @POST
  @Path("store")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<EarnService.Earned>> store(
      @Valid @NotNull BufferStoreRequest request,
      @QueryParam("dryRun") boolean dryRun,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    Caller caller = Callers.of(identity);
    return earn.earn(
            caller.clientId(),
            request.userId(),
            request.actionCode(),
            request.transactionId(),
            dryRun || Boolean.TRUE.equals(request.dryRun()),
            "buffer:" + caller.clientId(),
            idempotencyKey)
        .map(Data::of);
  }
}
