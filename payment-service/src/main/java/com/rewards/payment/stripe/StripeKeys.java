package com.rewards.payment.stripe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The Idempotency-Key sent to Stripe. Stripe's keys are account-wide, so the client's key is hashed
 * with the scope (partner, user, operation): two users' equal keys never meet at Stripe, and the
 * same request retried reaches Stripe with the same key and gets the same answer.
 */
public final class StripeKeys {
  private StripeKeys() {}

  /** A key derived from the client's, or a fresh one when the client sent none. */
  public static String derive(String scope, String clientKey) {
    if (clientKey == null) {
      // Still keyed, so stripe-java's own retries of this one call never act twice.
      return "rw-" + UUID.randomUUID();
    }
    return "rw-" + sha256(scope + '\n' + clientKey);
  }

  public static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
