package com.rewards.referral.rest;

import com.rewards.platform.error.ApiException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Binds a client JWT to the user it names (see {@link TokenUserOnly}). */
public class TokenUserFilter {
  private final CurrentIdentityAssociation identities;

  public TokenUserFilter(CurrentIdentityAssociation identities) {
    this.identities = identities;
  }

  @TokenUserOnly
  @ServerRequestFilter
  public Uni<Void> bindToTokenUser(ContainerRequestContext request) {
    // Deferred: authentication may not have run yet, and must not block the event loop.
    return identities
        .getDeferredIdentity()
        .invoke(
            identity -> {
              OpenCaller caller = identity.getAttribute(OpenCaller.ATTRIBUTE);
              if (caller == null) {
                return; // anonymous or another kind of caller: the endpoint's roles refuse it
              }
              MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters();
              if (!caller.tenant().equals(path.getFirst("tenant"))) {
                throw ApiException.forbidden("FORBIDDEN", "This credential is another tenant's.");
              }
              if (!caller.isToken()) {
                return;
              }
              MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
              TokenUser user = caller.user();
              mustBe(user.accountId(), path.getFirst("accountId"));
              mustBe(user.id(), path.getFirst("userId"));
              mustBe(user.accountId(), query.getFirst("referringAccountId"));
              mustBe(user.id(), query.getFirst("referringUserId"));
            })
        .replaceWithVoid();
  }

  private static void mustBe(String tokenValue, String requested) {
    if (requested != null && !requested.equals(tokenValue)) {
      throw ApiException.forbidden(
          "TOKEN_USER_MISMATCH", "The token is only valid for the user it names.");
    }
  }
}
