package com.rewards.auth.rest;

import com.rewards.auth.domain.Secrets;
import com.rewards.platform.security.Roles;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The operator credential for {@code /admin/v1}: the {@code X-Operator-Key} header, checked against
 * the SHA-256 in configuration so the plain key is in no config file.
 */
@ApplicationScoped
public class OperatorAuthenticationMechanism implements HttpAuthenticationMechanism {
  public static final String HEADER = "X-Operator-Key";
  private final String expectedSha256;

  public OperatorAuthenticationMechanism(
      @ConfigProperty(name = "rewards.auth.operator-key-sha256") String expectedSha256) {
    this.expectedSha256 = expectedSha256;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String key = context.request().getHeader(HEADER);
    if (key == null) {
      return Uni.createFrom().nullItem();
    }
    if (!Secrets.matchesSha256(key, expectedSha256)) {
      return Uni.createFrom().failure(new AuthenticationFailedException("Wrong operator key"));
    }
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("operator"))
                .addRole(Roles.OPERATOR)
                .build());
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, null, null));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of();
  }

  @Override
  public int getPriority() {
    return 2000;
  }
}
