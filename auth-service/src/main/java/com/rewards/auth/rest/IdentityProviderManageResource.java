package com.rewards.auth.rest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.rewards.auth.domain.IdentityProvider;
import com.rewards.auth.service.ProviderSignInService;
import com.rewards.platform.error.ApiException;
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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestResponse;

/** A partner's server registers the OpenID providers whose ID tokens sign its users in. */
@Path("/manage/v1/identity-providers")
@RolesAllowed(Roles.SERVER)
public class IdentityProviderManageResource {
  private static final String URL_PATTERN = "^https?://\\S+$";

  private final ProviderSignInService providers;
  private final SecurityIdentity identity;

  public record ProviderSettings(
      @NotBlank @Size(max = 2000) @Pattern(regexp = URL_PATTERN) String issuer,
      @JsonAlias("jwks_url") @NotBlank @Size(max = 2000) @Pattern(regexp = URL_PATTERN)
          String jwksUrl,
      @NotBlank @Size(max = 200) String audience) {}

  public record ProviderView(String name, String issuer, String jwksUrl, String audience) {
    static ProviderView of(IdentityProvider p) {
      return new ProviderView(p.name, p.issuer, p.jwksUrl, p.audience);
    }
  }

  public record ProviderList(List<ProviderView> identityProviders) {}

  public IdentityProviderManageResource(
      ProviderSignInService providers, SecurityIdentity identity) {
    this.providers = providers;
    this.identity = identity;
  }

  /**
   * 201 when the name is new, 200 when it replaced the partner's earlier settings. The JWKS URL
   * must be https (http only where configured) on a host with public addresses only: 400 naming
   * {@code jwksUrl}. A new issuer while users are linked under another one: 409 {@code
   * IDENTITY_PROVIDER_HAS_LINKS}, unless {@code links=transfer} hands those links to it.
   */
  @PUT
  @Path("{name}")
  public Uni<RestResponse<ProviderView>> save(
      @PathParam("name") String name,
      @Parameter(
              description =
                  "transfer: users linked under another issuer move to this one (else 409"
                      + " IDENTITY_PROVIDER_HAS_LINKS)")
          @QueryParam("links")
          String links,
      @Valid @NotNull ProviderSettings settings) {
    if (!name.matches(ProviderSignInService.NAME_PATTERN)) {
      throw ApiException.badRequest(
          "The name must be 2 to 32 lower-case letters, digits or hyphens.");
    }
    if (links != null && !links.equals("transfer")) {
      throw ApiException.invalidField("links", "links must be \"transfer\" or absent.");
    }
    requireHost("issuer", settings.issuer());
    requireHost("jwksUrl", settings.jwksUrl());
    return providers
        .save(
            Callers.of(identity).clientId(),
            name,
            new ProviderSignInService.Settings(
                settings.issuer(), settings.jwksUrl(), settings.audience()),
            links == null
                ? ProviderSignInService.LinksOnIssuerChange.REFUSE
                : ProviderSignInService.LinksOnIssuerChange.TRANSFER)
        .map(
            saved ->
                RestResponse.status(
                    saved.created() ? Response.Status.CREATED : Response.Status.OK,
                    ProviderView.of(saved.provider())));
  }

  @GET
  public Uni<ProviderList> list() {
    return providers
        .list(Callers.of(identity).clientId())
        .map(list -> new ProviderList(list.stream().map(ProviderView::of).toList()));
  }

  @GET
  @Path("{name}")
  public Uni<ProviderView> get(@PathParam("name") String name) {
    return providers.find(Callers.of(identity).clientId(), name).map(ProviderView::of);
  }

  @DELETE
  @Path("{name}")
  public Uni<RestResponse<Void>> remove(@PathParam("name") String name) {
    return providers
        .remove(Callers.of(identity).clientId(), name)
        .map(ignored -> RestResponse.noContent());
  }

  /** The pattern lets through things like {@code https://:80}, which name no server. */
  private static void requireHost(String field, String url) {
    try {
      if (new URI(url).getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // Reported below like a missing host.
    }
    throw ApiException.invalidField(field, field + " must be an http(s) URL with a host.");
  }
}
