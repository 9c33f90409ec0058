package com.rewards.platform.security;

import java.time.Instant;

/**
 * Who is calling, as proven by a verified token. A user token names one user of one partner; a
 * server token names only the partner.
 */
public record Caller(Kind kind, String clientId, String userId, String tokenId, Instant issuedAt) {

  /** Separator of document 003's namespaced id: {@code {clientId}___{userId}}. */
  public static final String NAMESPACE_SEPARATOR = "___";

  public enum Kind {
    USER(Roles.USER),
    SERVER(Roles.SERVER);

    private final String role;

    Kind(String role) {
      this.role = role;
    }

    public String role() {
      return role;
    }
  }

  public static String namespaced(String clientId, String userId) {
    return clientId + NAMESPACE_SEPARATOR + userId;
  }

  public String namespacedUserId() {
    return userId == null ? null : namespaced(clientId, userId);
  }
}
