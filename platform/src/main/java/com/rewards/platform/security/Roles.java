package com.rewards.platform.security;

/** The roles resources name in {@code @RolesAllowed}. */
public final class Roles {
  /** An app's user, with a user token. */
  public static final String USER = "user";

  /** A partner's server, with a server token from {@code auth/token}. */
  public static final String SERVER = "server";

  /** A platform operator (partner administration). */
  public static final String OPERATOR = "operator";

  private Roles() {}
}
