package com.rewards.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads the platform token from {@code Authorization: Bearer} or, as document 003 does, from the
 * {@code user-jwt-token} header, and turns it into an identity with the role {@code user} or {@code
 * server}. The verified {@link Caller} rides along as the attribute {@code caller}.
 */
@ApplicationScoped
public class TokenAuthenticationMechanism implements HttpAuthenticationMechanism {
  public static final String CALLER_ATTRIBUTE = "caller";
  public static final String USER_TOKEN_HEADER = "user-jwt-token";
  private static final String BEARER = "bearer ";

  private final TokenVerifier verifier;

  public TokenAuthenticationMechanism(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String token = tokenOf(context);
    if (token == null) {
      return Uni.createFrom().nullItem();
    }
    return verifier
        .verify(token)
        .<SecurityIdentity>map(
            caller ->
                QuarkusSecurityIdentity.builder()
                    .setPrincipal(
                        new QuarkusPrincipal(
                            caller.userId() == null
                                ? caller.clientId()
                                : caller.namespacedUserId()))
                    .addRole(caller.kind().role())
                    .addAttribute(CALLER_ATTRIBUTE, caller)
                    .build())
        .onFailure(TokenVerifier.InvalidTokenException.class)
        .transform(e -> new AuthenticationFailedException(e.getMessage()));
  }

  static String tokenOf(RoutingContext context) {
    String authorization = context.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return authorization.substring(BEARER.length()).trim();
    }
    String userToken = context.request().getHeader(USER_TOKEN_HEADER);
    if (userToken != null && !userToken.isBlank()) {
      String trimmed = userToken.trim();
      return trimmed.regionMatches(true, 0, BEARER, 0, BEARER.length())
          ? trimmed.substring(BEARER.length()).trim()
          : trimmed;
    }
    return null;
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of();
  }
}
