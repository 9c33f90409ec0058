package com.rewards.referral.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys: 256 random bits behind a recognisable {@code rk_} marker. High entropy makes a plain
 * SHA-256 a safe thing to store (no salt or slow hash needed), and lets a key be found by its hash.
 */
public final class ApiKeySecrets {
  static final String MARKER = "rk_";
  static final int PREFIX_LENGTH = MARKER.length() + 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {}

  public static String generate() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return MARKER + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** The part of a key shown in listings, enough to tell keys apart and useless to an attacker. */
  public static String prefix(String key) {
    return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
  }

  public static String hash(String key) {
    return sha256Hex(key.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
