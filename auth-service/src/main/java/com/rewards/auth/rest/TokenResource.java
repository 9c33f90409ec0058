package com.rewards.auth.rest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.rewards.auth.service.PartnerService;
import com.rewards.auth.service.TokenIssuer;
import com.rewards.auth.service.TokenIssuer.IssuedToken;
import com.rewards.platform.rest.Data;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Document 000 {@code auth/token}: client credentials in, server token out. Open. */
@Path("/auth/token")
public class TokenResource {
  private final PartnerService partners;
  private final TokenIssuer issuer;

  public record TokenRequest(
      @JsonAlias("client_id") @NotBlank @Size(max = 64) String clientId,
      @JsonAlias("client_secret") @NotBlank @Size(max = 128) String clientSecret) {}

  public TokenResource(PartnerService partners, TokenIssuer issuer) {
    this.partners = partners;
    this.issuer = issuer;
  }

  @POST
  @PermitAll
  public Uni<Data<IssuedToken>> token(@Valid @NotNull TokenRequest request) {
    return partners
        .authenticate(request.clientId(), request.clientSecret())
        .chain(partner -> issuer.serverToken(partner.clientId, partner.tokensNotBefore))
        .map(Data::of);
  }
}
