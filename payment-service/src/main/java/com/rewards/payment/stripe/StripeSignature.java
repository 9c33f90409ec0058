package com.rewards.payment.stripe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.payload">} (several {@code v1} while a secret rolls). Unlike stripe-java's check, a timestamp
 * too far in the future is refused as well: a signed request is only good within the tolerance of
 * now, either way.
 */
public final class StripeSignature {
  public enum Result {
    VALID,
    INVALID,
    EXPIRED
  }

  private StripeSignature() {}

  public static Result verify(
      byte[] payload, String header, String secret, Duration tolerance, Instant now) {
    if (header == null || header.isBlank() || secret == null || secret.isEmpty()) {
      return Result.INVALID;
    }
    long timestamp = -1;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      if (key.equals("t")) {
        try {
          timestamp = Long.parseLong(value);
        } catch (NumberFormatException e) {
          return Result.INVALID;
        }
      } else if (key.equals("v1")) {
        signatures.add(value);
      }
    }
    if (timestamp <= 0 || signatures.isEmpty()) {
      return Result.INVALID;
    }
    byte[] expected = sign(payload, secret, timestamp).getBytes(StandardCharsets.US_ASCII);
    boolean matched = false;
    for (String signature : signatures) {
      matched |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
    if (!matched) {
      return Result.INVALID;
    }
    return Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()
        ? Result.EXPIRED
        : Result.VALID;
  }

  /** The {@code Stripe-Signature} value Stripe would send for {@code payload} at {@code at}. */
  public static String header(byte[] payload, String secret, Instant at) {
    return "t=" + at.getEpochSecond() + ",v1=" + sign(payload, secret, at.getEpochSecond());
  }

  private static String sign(byte[] payload, String secret, long timestamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(payload));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
