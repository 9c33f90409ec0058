package com.rewards.referral.rest;

import com.rewards.platform.error.ApiException;
import com.rewards.platform.security.Callers;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who called with a document-001 credential: the partner (tenant) and, for a client JWT, the one
 * user it names and the user fields it carries. Rides on the identity as {@link #ATTRIBUTE}.
 */
public record OpenCaller(Kind kind, String tenant, TokenUser user) {
  public static final String ATTRIBUTE = "referral-open-caller";

  public enum Kind {
    API_KEY,
    CLIENT_JWT
  }

  public static OpenCaller apiKey(String tenant) {
    return new OpenCaller(Kind.API_KEY, tenant, null);
  }

  public static OpenCaller clientJwt(String tenant, TokenUser user) {
    return new OpenCaller(Kind.CLIENT_JWT, tenant, user);
  }

  public boolean isToken() {
    return kind == Kind.CLIENT_JWT;
  }

  /** The caller on an open endpoint; the endpoint's roles guarantee there is one. */
  public static OpenCaller of(SecurityIdentity identity) {
    OpenCaller caller = identity.getAttribute(ATTRIBUTE);
    if (caller == null) {
      throw ApiException.forbidden("FORBIDDEN", "This caller may not use this endpoint.");
    }
    return caller;
  }

  /** The partner behind a management call: an API key's partner, or a platform server token's. */
  public static String partnerOf(SecurityIdentity identity) {
    OpenCaller caller = identity.getAttribute(ATTRIBUTE);
    if (caller != null) {
      if (caller.kind != Kind.API_KEY) {
        throw ApiException.forbidden("FORBIDDEN", "This caller may not use this endpoint.");
      }
      return caller.tenant;
    }
    return Callers.of(identity).clientId();
  }
}
