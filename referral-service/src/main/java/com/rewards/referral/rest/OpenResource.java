package com.rewards.referral.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.referral.service.ParticipantService;
import com.rewards.referral.service.ParticipantService.CodeInfo;
import com.rewards.referral.service.ParticipantService.PublicUser;
import com.rewards.referral.service.ParticipantService.UserFields;
import com.rewards.referral.service.ParticipantService.UserView;
import com.rewards.referral.service.ReferralService;
import com.rewards.referral.service.ReferralService.ReferralList;
import com.rewards.referral.service.ReferralService.ReferralView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Document 001's open endpoints. Who may call each is on the method: {@code @RolesAllowed} names
 * the credentials (API key, read token, write token), {@code @TokenUserOnly} binds a client JWT to
 * the one user it names, {@code @PermitAll} marks the two public lookups.
 */
@Path("/api/v1/{tenant}/open")
// The credentials of OpenRoles, for OpenAPI: platform's filter turns each @RolesAllowed role into
// a requirement of the scheme with the role's name (the API key also serves /manage/v1/referral).
@SecurityScheme(
    securitySchemeName = OpenRoles.API_KEY,
    type = SecuritySchemeType.HTTP,
    scheme = "basic",
    description =
        "The partner's referral API key as the HTTP Basic password (the username is ignored);"
            + " on /api/v1/{tenant}/open/... it must be that tenant's key.")
@SecurityScheme(
    securitySchemeName = OpenRoles.READ_TOKEN,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT",
    description =
        "A client JWT naming one user (user.id, user.accountId), signed with the key the partner"
            + " registered (not the API key); valid only for that user.")
@SecurityScheme(
    securitySchemeName = OpenRoles.WRITE_TOKEN,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT",
    description =
        "A client JWT that also carries the user's fields, signed with the key the partner"
            + " registered; valid only for the user it names. It also passes where a read token"
            + " does.")
public class OpenResource {
  static final String TENANT_PATTERN = "^[A-Za-z0-9-]{3,64}$";
  static final String ID_PATTERN = ParticipantService.ID_PATTERN;

  private final ParticipantService participants;
  private final ReferralService referrals;
  private final SecurityIdentity identity;
  private final int pageMax;
  private final ObjectMapper mapper;

  /**
   * The body of create and upsert. With an API key these are the user's fields; with a write token
   * the token's fields are used instead, and the server-only {@code referable} and {@code segments}
   * are refused. Unknown members are ignored.
   */
  public record UserBody(
      String id,
      String accountId,
      String email,
      String firstName,
      String lastName,
      String locale,
      String referralCode,
      String imageUrl,
      Boolean referable,
      List<String> segments) {}

  public OpenResource(
      ParticipantService participants,
      ReferralService referrals,
      SecurityIdentity identity,
      @ConfigProperty(name = "rewards.referral.page-max") int pageMax,
      ObjectMapper mapper) {
    this.participants = participants;
    this.referrals = referrals;
    this.identity = identity;
    this.pageMax = pageMax;
    this.mapper = mapper;
  }

  /** Create a user: write token or API key; 201, or 409 when the user exists. */
  @POST
  @Path("account/{accountId}/user/{userId}")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed({OpenRoles.API_KEY, OpenRoles.WRITE_TOKEN})
  @TokenUserOnly
  public Uni<RestResponse<UserView>> create(
      @PathParam("tenant") @Pattern(regexp = TENANT_PATTERN) String tenant,
      @PathParam("accountId") @Pattern(regexp = ID_PATTERN) String accountId,
      @PathParam("userId") @Pattern(regexp = ID_PATTERN) String userId,
      @RequestBody(content = @Content(schema = @Schema(implementation = UserBody.class)))
          String body,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    OpenCaller caller = OpenCaller.of(identity);
    return participants
        .create(
            tenant,
            accountId,
            userId,
            fieldsOf(caller, accountId, userId, parse(body)),
            !caller.isToken(),
            scope(caller, "create"),
            idempotencyKey)
        .map(view -> RestResponse.status(Response.Status.CREATED, view));
  }

  /** Upsert a user: write token or API key; 201 when created, 200 when updated. */
  @PUT
  @Path("account/{accountId}/user/{userId}")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed({OpenRoles.API_KEY, OpenRoles.WRITE_TOKEN})
  @TokenUserOnly
  public Uni<RestResponse<UserView>> upsert(
      @PathParam("tenant") @Pattern(regexp = TENANT_PATTERN) String tenant,
      @PathParam("accountId") @Pattern(regexp = ID_PATTERN) String accountId,
      @PathParam("userId") @Pattern(regexp = ID_PATTERN) String userId,
      @RequestBody(content = @Content(schema = @Schema(implementation = UserBody.class)))
          String body) {
    OpenCaller caller = OpenCaller.of(identity);
    return participants
        .upsert(
            tenant,
            accountId,
            userId,
            fieldsOf(caller, accountId, userId, parse(body)),
            !caller.isToken())
        .map(
            saved ->
                RestResponse.status(
                    saved.created() ? Response.Status.CREATED : Response.Status.OK, saved.value()));
  }

  /** Lookup a user: read token (of that user) or API key. */
  @GET
  @Path("account/{accountId}/user/{userId}")
  @RolesAllowed({OpenRoles.API_KEY, OpenRoles.READ_TOKEN})
  @TokenUserOnly
  public Uni<UserView> lookup(
      @PathParam("tenant") @Pattern(regexp = TENANT_PATTERN) String tenant,
      @PathParam("accountId") @Pattern(regexp = ID_PATTERN) String accountId,
      @PathParam("userId") @Pattern(regexp = ID_PATTERN) String userId) {
    return participants.lookup(tenant, accountId, userId, !OpenCaller.of(identity).isToken());
  }

  /** Lookup a user by referral code: public, minimal fields only. */
  @GET
  @Path("user")
  @PermitAll
  public Uni<PublicUser> userByCode(
      @PathParam("tenant") @Pattern(regexp = TENANT_PATTERN) String tenant,
      @QueryParam("referralCode") @NotBlank String referralCode) {
    return participants.publicByCode(tenant, referralCode);
  }

  /** Lookup a referral code: public; whether it can be used, whose it is, the reward. */
  @GET
  @Path("code/{code}")
  @PermitAll
  public Uni<CodeInfo> code(
      @PathParam("tenant") @Pattern(regexp = TENANT_PATTERN) String tenant,
      @PathParam("code") String code) {
    return participants.codeInfo(tenant, code);
  }

  /** Apply a referral code for the referred user: write token (of that user) or API key. */
  @POST
  @Path("code/{code}/account/{accountId}/user/{userId}")
  @RolesAllowed({OpenRoles.API_KEY, OpenRoles.WRITE_TOKEN})
  @TokenUserOnly
  public Uni<RestResponse<ReferralView>> apply(
      @PathParam("tenant") @Pattern(regexp = TENANT_PATTERN) String tenant,
      @PathParam("code") String code,
      @PathParam("accountId") @Pattern(regexp = ID_PATTERN) String accountId,
      @PathParam("userId") @Pattern(regexp = ID_PATTERN) String userId,
      @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    OpenCaller caller = OpenCaller.of(identity);
    UserFields tokenFields = caller.isToken() ? fieldsOf(caller, accountId, userId, null) : null;
    return referrals
        .apply(tenant, code, accountId, userId, tokenFields, scope(caller, "apply"), idempotencyKey)
        .map(
            outcome ->
                RestResponse.status(
                    outcome.created() ? Response.Status.CREATED : Response.Status.OK,
                    outcome.referral()));
  }

  /**
   * List referrals with their total: read token (its own referrals, the default) or API key (any
   * referrer's, or all of the partner's).
   */
  @GET
  @Path("referrals")
  @RolesAllowed({OpenRoles.API_KEY, OpenRoles.READ_TOKEN})
  @TokenUserOnly
  public Uni<ReferralList> list(
      @PathParam("tenant") @Pattern(regexp = TENANT_PATTERN) String tenant,
      @QueryParam("referringAccountId") @Pattern(regexp = ID_PATTERN) String referringAccountId,
      @QueryParam("referringUserId") @Pattern(regexp = ID_PATTERN) String referringUserId,
      @QueryParam("limit") @DefaultValue("20") @Min(1) int limit,
      @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(100_000) int offset) {
    OpenCaller caller = OpenCaller.of(identity);
    if (caller.isToken()) {
      // The filter let through only the token's own user; absent means that user too.
      referringAccountId = caller.user().accountId();
      referringUserId = caller.user().id();
    }
    return referrals.list(
        tenant, referringAccountId, referringUserId, Math.min(limit, pageMax), offset);
  }

  /**
   * The fields this caller sets: a write token's own (server-only fields refused, the body
   * ignored), or an API key's body (whose ids, if any, must be the path's).
   */
  static UserFields fieldsOf(OpenCaller caller, String accountId, String userId, UserBody body) {
    if (caller.isToken()) {
      TokenUser u = caller.user();
      if (u.carriesServerOnlyFields()
          || (body != null && (body.referable() != null || body.segments() != null))) {
        throw ApiException.forbidden(
            "SERVER_ONLY_FIELD",
            "referable and segments can only be set with the API key, not with a user token.");
      }
      return new UserFields(
          u.email(),
          u.firstName(),
          u.lastName(),
          u.locale(),
          u.referralCode(),
          u.imageUrl(),
          null,
          null);
    }
    if (body == null) {
      return UserFields.NONE;
    }
    if ((body.id() != null && !body.id().equals(userId))
        || (body.accountId() != null && !body.accountId().equals(accountId))) {
      throw ApiException.badRequest("The body's id and accountId must be the path's.");
    }
    return new UserFields(
        body.email(),
        body.firstName(),
        body.lastName(),
        body.locale(),
        body.referralCode(),
        body.imageUrl(),
        body.referable(),
        body.segments());
  }

  /**
   * The body is read here rather than by the JSON reader: with a write token it is optional, and a
   * client may then send neither a body nor a Content-Type.
   */
  private UserBody parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return mapper.readValue(body, UserBody.class);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("The body is not valid JSON for this request.");
    }
  }

  /** Idempotency keys of two callers never collide: scoped by tenant and, for a token, user. */
  private static String scope(OpenCaller caller, String route) {
    return "referral:"
        + route
        + ":"
        + caller.tenant()
        + (caller.isToken() ? ":user:" + caller.user().id() : ":api-key");
  }
}
