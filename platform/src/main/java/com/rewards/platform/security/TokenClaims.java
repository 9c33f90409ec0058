package com.rewards.platform.security;

/** Claim names shared by the issuer (auth-service) and every verifier. */
public final class TokenClaims {
  public static final String CLIENT_ID = "client_id";
  public static final String TOKEN_USE = "token_use";
  public static final String USER_ID = "user_id";
  public static final String THIRD_PARTY_CLIENT_ID = "third_party_client_id";
  public static final String NAMESPACED_USER_ID = "namespaced_third_party_user_id";

  public static final String USE_USER = "user";
  public static final String USE_SERVER = "server";

  private TokenClaims() {}
}
