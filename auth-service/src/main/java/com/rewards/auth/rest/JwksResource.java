package com.rewards.auth.rest;

import com.rewards.auth.service.SigningKeyService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The public keys every service verifies tokens with. Open. */
@Path("/.well-known/jwks.json")
public class JwksResource {
  private final SigningKeyService keys;

  public JwksResource(SigningKeyService keys) {
    this.keys = keys;
  }

  @GET
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Response> jwks() {
    return keys.jwks()
        .map(json -> Response.ok(json).header("Cache-Control", "public, max-age=60").build());
  }
}
