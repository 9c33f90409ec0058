package com.rewards.referral.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.platform.security.Roles;
import com.rewards.referral.service.ProgramService;
import com.rewards.referral.service.ProgramService.ApiKeyCreated;
import com.rewards.referral.service.ProgramService.ApiKeyView;
import com.rewards.referral.service.ProgramService.ClientKeyRegistered;
import com.rewards.referral.service.ProgramService.ClientKeyView;
import com.rewards.referral.service.ProgramService.ProgramView;
import com.rewards.referral.service.ReferralService;
import com.rewards.referral.service.ReferralService.ManagedPage;
import com.rewards.referral.service.ReferralService.ManagedReferral;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The partner's server manages its referral program: reward settings, its API keys, the key that
 * signs its client JWTs, and moderation. Callers: the platform server token from {@code
 * auth/token}, or the partner's API key (HTTP Basic). Everything is the caller's own; another
 * partner's id is a 404.
 */
@Path("/manage/v1/referral")
@RolesAllowed({Roles.SERVER, OpenRoles.API_KEY})
public class ReferralManageResource {
  private final ProgramService programs;
  private final ReferralService referrals;
  private final SecurityIdentity identity;
  private final int pageMax;

  public record ApiKeyList(@JsonProperty("api_keys") List<ApiKeyView> apiKeys) {}

  public record Decision(@Size(max = 500) String note) {}

  public ReferralManageResource(
      ProgramService programs,
      ReferralService referrals,
      SecurityIdentity identity,
      @ConfigProperty(name = "rewards.referral.page-max") int pageMax) {
    this.programs = programs;
    this.referrals = referrals;
    this.identity = identity;
    this.pageMax = pageMax;
  }

  // ------------------------------------------------------------------ settings

  @GET
  @Path("program")
  public Uni<ProgramView> program() {
    return programs.program(partner());
  }

  /** Replaces the reward settings and rules (absent optional ones take their defaults). */
  @PUT
  @Path("program")
  public Uni<ProgramView> putProgram(@Valid @NotNull ProgramService.ProgramSettings settings) {
    return programs.putProgram(partner(), settings);
  }

  // ------------------------------------------------------------------ client-JWT key

  @GET
  @Path("client-jwt-key")
  public Uni<ClientKeyView> clientKey() {
    return programs.clientKey(partner());
  }

  /** Registers or rotates the key of the partner's client JWTs; a generated secret shows once. */
  @PUT
  @Path("client-jwt-key")
  public Uni<ClientKeyRegistered> registerClientKey(
      @Valid @NotNull ProgramService.ClientKeyRequest request) {
    return programs.registerClientKey(partner(), request);
  }

  // ------------------------------------------------------------------ API keys

  /**
   * A new API key (201), shown this once. No Idempotency-Key here on purpose: replaying the answer
   * would mean storing the plain key; a retry makes a second key, which the partner can revoke.
   */
  @POST
  @Path("api-keys")
  public Uni<RestResponse<ApiKeyCreated>> createApiKey(
      @Valid ProgramService.ApiKeyRequest request) {
    return programs
        .createApiKey(partner(), request == null ? null : request.name())
        .map(created -> RestResponse.status(Response.Status.CREATED, created));
  }

  @GET
  @Path("api-keys")
  public Uni<ApiKeyList> apiKeys() {
    return programs.apiKeys(partner()).map(ApiKeyList::new);
  }

  /** Revokes the key at once; the answer shows when. */
  @DELETE
  @Path("api-keys/{id}")
  public Uni<ApiKeyView> revokeApiKey(@PathParam("id") UUID id) {
    return programs.revokeApiKey(partner(), id);
  }

  // ------------------------------------------------------------------ referrals

  @GET
  @Path("referrals")
  public Uni<ManagedPage> referrals(
      @QueryParam("state") @Pattern(regexp = "^(PENDING|FLAGGED|CONVERTED|DENIED)$") String state,
      @QueryParam("referrer_user_id") @Pattern(regexp = OpenResource.ID_PATTERN)
          String referrerUserId,
      @QueryParam("limit") @DefaultValue("20") @Min(1) int limit,
      @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(100_000) int offset) {
    return referrals.manageList(partner(), state, referrerUserId, Math.min(limit, pageMax), offset);
  }

  @GET
  @Path("referrals/{id}")
  public Uni<ManagedReferral> referral(@PathParam("id") UUID id) {
    return referrals.manageGet(partner(), id);
  }

  /** Clears a flagged referral (409 unless FLAGGED). */
  @POST
  @Path("referrals/{id}/approve")
  public Uni<ManagedReferral> approve(
      @PathParam("id") UUID id,
      @Valid Decision decision,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    String partner = partner();
    return referrals.approve(
        partner, id, noteOf(decision), scope(partner, "approve"), idempotencyKey);
  }

  /** Denies a flagged or pending referral (409 once converted or denied). */
  @POST
  @Path("referrals/{id}/deny")
  public Uni<ManagedReferral> deny(
      @PathParam("id") UUID id,
      @Valid Decision decision,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    String partner = partner();
    return referrals.deny(partner, id, noteOf(decision), scope(partner, "deny"), idempotencyKey);
  }

  /** Converts by hand, whatever the trigger setting (409 once converted or denied). */
  @POST
  @Path("referrals/{id}/convert")
  public Uni<ManagedReferral> convert(
      @PathParam("id") UUID id, @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    String partner = partner();
    return referrals.convertByHand(partner, id, scope(partner, "convert"), idempotencyKey);
  }

  private String partner() {
    return OpenCaller.partnerOf(identity);
  }

  private static String noteOf(Decision decision) {
    return decision == null || decision.note() == null || decision.note().isBlank()
        ? null
        : decision.note().strip();
  }

  private static String scope(String partner, String route) {
    return "referral-manage:" + route + ":" + partner;
  }
}
