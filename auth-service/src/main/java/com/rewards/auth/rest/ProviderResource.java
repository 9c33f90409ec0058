package com.rewards.auth.rest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.rewards.auth.service.ProviderSignInService;
import com.rewards.auth.service.TokenIssuer;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Document 002's {@code providers} namespace: sign in with an external provider's ID token. */
@Path("/api/users/providers")
public class ProviderResource {
  private final ProviderSignInService providers;
  private final TokenIssuer issuer;

  public record SignInRequest(
      @JsonAlias("client_id") @NotBlank @Size(max = 64) String clientId,
      @JsonAlias("id_token") @NotBlank @Size(max = 16_384) String idToken) {}

  public record SignedInUser(
      String id, String userToken, @JsonProperty("expires_in") long expiresIn, boolean created) {}

  public record SignedIn(SignedInUser user) {}

  public ProviderResource(ProviderSignInService providers, TokenIssuer issuer) {
    this.providers = providers;
    this.issuer = issuer;
  }

  /** Open: the app has no user token yet, the provider's ID token is the credential. */
  @POST
  @Path("{provider}/signin")
  @PermitAll
  public Uni<SignedIn> signIn(
      @PathParam("provider") String provider, @Valid @NotNull SignInRequest request) {
    return providers
        .signIn(request.clientId(), provider, request.idToken())
        .chain(
            signedIn ->
                issuer
                    .userToken(
                        signedIn.clientId(),
                        signedIn.user().externalId,
                        signedIn.user().tokensValidAfter)
                    .map(
                        token ->
                            new SignedIn(
                                new SignedInUser(
                                    signedIn.user().externalId,
                                    token.token(),
                                    token.expiresIn(),
                                    signedIn.created()))));
  }
}
