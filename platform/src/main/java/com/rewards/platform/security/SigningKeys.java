package com.rewards.platform.security;

import io.smallrye.mutiny.Uni;
import java.security.PublicKey;
import java.util.Optional;

/** Finds the public key that verifies a token, by the {@code kid} in its header. */
public interface SigningKeys {
  Uni<Optional<PublicKey>> find(String kid);
}
