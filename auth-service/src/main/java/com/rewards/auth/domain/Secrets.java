package com.rewards.auth.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * High-entropy secrets (client secrets, one-time codes for the store) are stored as SHA-256: a
 * 256-bit random value cannot be brute-forced, so a slow hash adds nothing there.
 */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** 256 random bits, URL-safe. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A numeric one-time code of {@code digits} digits. */
  public static String newDigits(int digits) {
    StringBuilder code = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      code.append(RANDOM.nextInt(10));
    }
    return code.toString();
  }

  public static String sha256Hex(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares in constant time so the answer's timing tells nothing about the stored hash. */
  public static boolean matchesSha256(String candidate, String expectedHex) {
    if (candidate == null || expectedHex == null) {
      return false;
    }
    return MessageDigest.isEqual(
        sha256Hex(candidate).getBytes(StandardCharsets.US_ASCII),
        expectedHex.toLowerCase().getBytes(StandardCharsets.US_ASCII));
  }
}
