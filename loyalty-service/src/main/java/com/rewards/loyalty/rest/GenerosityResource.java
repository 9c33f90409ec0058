package com.rewards.loyalty.rest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.rewards.loyalty.service.EarnService;
import com.rewards.platform.error.ApiException;
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
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * Document 000's earns: {@code generosity/store} (user) and {@code generosity/multistore} (server).
 */
@Path("/generosity")
public class GenerosityResource {
  static final String CODE_PATTERN = "^[A-Za-z0-9._:-]{1,64}$";
  static final String USER_ID_PATTERN = "^(?!.*___)[A-Za-z0-9._:@+|-]{1,128}$";

  private final EarnService earn;
  private final SecurityIdentity identity;
  private final int maxUsers;

  public record StoreRequest(
      @JsonAlias({"action_code", "code"}) @NotBlank @Pattern(regexp = CODE_PATTERN)
          String actionCode,
      // A dry run asked for in the body counts as one asked for in the query: a client who says
      // dry_run must never spend or earn for real because it picked the other spelling.
      @JsonAlias("dry_run") Boolean dryRun) {}

  public record MultiStoreRequest(
      @JsonAlias({"action_code", "code"}) @NotBlank @Pattern(regexp = CODE_PATTERN)
          String actionCode,
      @JsonAlias("user_ids") @NotEmpty
          List<@NotBlank @Pattern(regexp = USER_ID_PATTERN) String> userIds,
      @JsonAlias("transaction_id") @Size(min = 1, max = 128) String transactionId,
      @JsonAlias("dry_run") Boolean dryRun) {}

  public record MultiStored(
      int stored, int duplicates, int refused, List<EarnService.UserOutcome> results) {}

  public GenerosityResource(
      EarnService earn,
      SecurityIdentity identity,
      @ConfigProperty(name = "rewards.loyalty.multistore-max-users") int maxUsers) {
    this.earn = earn;
    this.identity = identity;
    this.maxUsers = maxUsers;
  }

  /** The user completes an action: earns per the rules, answers the entry and new balance. */
  @POST
  @Path("store")
  @RolesAllowed(Roles.USER)
  public Uni<Data<EarnService.Earned>> store(
      @Valid @NotNull StoreRequest request,
      @QueryParam("dryRun") boolean dryRun,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    Caller caller = Callers.of(identity);
    return earn.earn(
            caller.clientId(),
            caller.userId(),
            request.actionCode(),
            null,
            dryRun || Boolean.TRUE.equals(request.dryRun()),
            "earn:" + caller.namespacedUserId(),
            idempotencyKey)
        .map(Data::of);
  }

  /** Many users at once: a result per user, partial success reported, never half a user. */
  @POST
  @Path("multistore")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<MultiStored>> multiStore(
      @Valid @NotNull MultiStoreRequest request, @QueryParam("dryRun") boolean dryRun) {
    List<String> users = request.userIds().stream().distinct().toList();
    if (users.size() > maxUsers) {
      throw new ApiException(
          413, "PAYLOAD_TOO_LARGE", "At most " + maxUsers + " users per multistore.");
    }
    return earn.earnMany(
            Callers.of(identity).clientId(),
            users,
            request.actionCode(),
            request.transactionId(),
            dryRun || Boolean.TRUE.equals(request.dryRun()))
        .map(
            results ->
                Data.of(
                    new MultiStored(
                        count(results, "stored"),
                        count(results, "duplicate"),
                        count(results, "refused"),
                        results)));
  }

  private static int count(List<EarnService.UserOutcome> results, String status) {
    return (int) results.stream().filter(r -> r.status().equals(status)).count();
  }
}
