package com.rewards.referral.rest;

import com.rewards.referral.domain.ApiKeySecrets;
import com.rewards.referral.domain.PartnerCredentials;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Document 001's credentials, beside the platform's token mechanism (which it runs before):
 *
 * <ul>
 *   <li>{@code Authorization: Basic} with the partner's API key as the password (username ignored),
 *       on {@code /api/v1/{tenant}/open/...} (the key must be that tenant's) and on {@code
 *       /manage/v1/referral/...};
 *   <li>{@code Authorization: Bearer} on {@code /api/v1/{tenant}/open/...}: a client JWT signed
 *       with the key the tenant registered. A platform token there is not a client JWT and fails.
 * </ul>
 *
 * Anything else is left to the platform mechanism (a Bearer platform server token on {@code
 * /manage/v1/referral}). A credential that is present but wrong fails (401), never falls through.
 */
@ApplicationScoped
public class PartnerAuthenticationMechanism implements HttpAuthenticationMechanism {
  static final Pattern OPEN_PATH = Pattern.compile("^/api/v1/([^/]+)/open(?:/.*)?$");
  static final String MANAGE_PATH = "/manage/v1/referral";
  private static final String BASIC = "basic ";
  private static final String BEARER = "bearer ";

  private final PartnerCredentials credentials;
  private final ClientTokenVerifier clientTokens;

  public PartnerAuthenticationMechanism(
      PartnerCredentials credentials, ClientTokenVerifier clientTokens) {
    this.credentials = credentials;
    this.clientTokens = clientTokens;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String path = context.normalizedPath();
    Matcher open = OPEN_PATH.matcher(path);
    boolean isOpen = open.matches();
    boolean isManage = path.equals(MANAGE_PATH) || path.startsWith(MANAGE_PATH + "/");
    String authorization = context.request().getHeader("Authorization");
    if ((!isOpen && !isManage) || authorization == null) {
      return Uni.createFrom().nullItem();
    }
    String tenant = isOpen ? open.group(1) : null;
    if (startsWith(authorization, BASIC)) {
      return apiKey(tenant, authorization.substring(BASIC.length()).trim());
    }
    if (isOpen && startsWith(authorization, BEARER)) {
      return clientToken(tenant, authorization.substring(BEARER.length()).trim());
    }
    return Uni.createFrom().nullItem();
  }

  private Uni<SecurityIdentity> apiKey(String tenant, String encoded) {
    String key = passwordOf(encoded);
    if (key == null || key.isEmpty()) {
      return failed("The API key is missing.");
    }
    return credentials
        .apiKeyOwner(ApiKeySecrets.hash(key))
        .chain(
            owner -> {
              // A key of another partner is simply not a key of this one.
              if (owner == null || (tenant != null && !tenant.equals(owner))) {
                return failed("The API key is not valid.");
              }
              return Uni.createFrom()
                  .item(
                      QuarkusSecurityIdentity.builder()
                          .setPrincipal(new QuarkusPrincipal(owner))
                          .addRole(OpenRoles.API_KEY)
                          .addAttribute(OpenCaller.ATTRIBUTE, OpenCaller.apiKey(owner))
                          .build());
            });
  }

  private Uni<SecurityIdentity> clientToken(String tenant, String token) {
    return clientTokens
        .verify(tenant, token)
        .<SecurityIdentity>map(
            user -> {
              var builder =
                  QuarkusSecurityIdentity.builder()
                      .setPrincipal(new QuarkusPrincipal(tenant + "___" + user.id()))
                      .addRole(OpenRoles.READ_TOKEN)
                      .addAttribute(OpenCaller.ATTRIBUTE, OpenCaller.clientJwt(tenant, user));
              if (user.isWriteToken()) {
                builder.addRole(OpenRoles.WRITE_TOKEN);
              }
              return builder.build();
            })
        .onFailure(ClientTokenVerifier.InvalidClientTokenException.class)
        .transform(e -> new AuthenticationFailedException(e.getMessage()));
  }

  /** HTTP Basic's password: what follows the first colon (a bare value is taken whole). */
  static String passwordOf(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? decoded : decoded.substring(colon + 1);
  }

  private static boolean startsWith(String header, String scheme) {
    return header.regionMatches(true, 0, scheme, 0, scheme.length());
  }

  private static Uni<SecurityIdentity> failed(String message) {
    return Uni.createFrom().failure(new AuthenticationFailedException(message));
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Basic"));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of();
  }

  @Override
  public int getPriority() {
    // Before the platform's Bearer mechanism, so a client JWT on an open path is never read as a
    // platform token.
    return 2000;
  }
}
