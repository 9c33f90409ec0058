package com.rewards.platform.security;

import io.smallrye.mutiny.Uni;

/**
 * Answers whether a verified token was revoked after it was issued (a user logged out on all
 * devices, a partner rotated its secret). Every service provides one, fed by auth's events or, in
 * auth-service, by its own tables.
 */
public interface RevocationCheck {
  Uni<Boolean> isRevoked(Caller caller);
}
