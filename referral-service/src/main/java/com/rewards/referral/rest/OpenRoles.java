package com.rewards.referral.rest;

/**
 * The roles of document 001's credentials, distinct from the platform's: a platform token never
 * passes an open endpoint, and a client JWT never passes a management one.
 */
public final class OpenRoles {
  /** The partner's API key (server to server). */
  public static final String API_KEY = "referral-api-key";

  /** A client JWT naming one user; every valid one may read that user. */
  public static final String READ_TOKEN = "referral-read-token";

  /** A client JWT that carries the user's fields (document 001's write token). */
  public static final String WRITE_TOKEN = "referral-write-token";

  private OpenRoles() {}
}
