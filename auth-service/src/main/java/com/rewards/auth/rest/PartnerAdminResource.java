package com.rewards.auth.rest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.rewards.auth.service.PartnerService;
import com.rewards.auth.service.PartnerService.Credentials;
import com.rewards.auth.service.SigningKeyService;
import com.rewards.platform.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

/** Operator API: partners and signing keys. Only the operator credential may call it. */
@Path("/admin/v1")
@RolesAllowed(Roles.OPERATOR)
public class PartnerAdminResource {
  private final PartnerService partners;
  private final SigningKeyService keys;

  public record CreatePartnerRequest(
      @NotBlank @Size(max = 200) String name,
      @JsonAlias("client_id") @Pattern(regexp = "^[A-Za-z0-9-]{3,64}$") String clientId) {}

  public record RotatedKey(String kid) {}

  public PartnerAdminResource(PartnerService partners, SigningKeyService keys) {
    this.partners = partners;
    this.keys = keys;
  }

  /** The answer is the only time the client secret is shown. */
  @POST
  @Path("partners")
  public Uni<RestResponse<Credentials>> create(@Valid @NotNull CreatePartnerRequest request) {
    return partners
        .create(request.name(), request.clientId())
        .map(c -> RestResponse.status(Response.Status.CREATED, c));
  }

  @POST
  @Path("partners/{clientId}/secret")
  public Uni<Credentials> rotateSecret(@PathParam("clientId") String clientId) {
    return partners.rotateSecret(clientId);
  }

  @POST
  @Path("signing-keys/rotate")
  public Uni<RotatedKey> rotateSigningKey() {
    return keys.rotate().map(RotatedKey::new);
  }
}
