package com.rewards.platform.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/** Reads the verified {@link Caller} from the request's identity. */
public final class Callers {
  private Callers() {}

  public static Caller of(SecurityIdentity identity) {
    Caller caller = identity.getAttribute(TokenAuthenticationMechanism.CALLER_ATTRIBUTE);
    if (caller == null) {
      throw new UnauthorizedException();
    }
    return caller;
  }
}
