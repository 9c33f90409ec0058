package com.rewards.referral.domain;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Referral codes: human-friendly, made from the user's name (BOBTESTERSON, then BOBTESTERSON1,
 * BOBTESTERSON2, ... when taken), compared case-insensitively. They are stored upper-case, so every
 * comparison is on {@link #canonical(String)}.
 */
public final class ReferralCodes {
  /** What a requested code may look like (it ends up in links and is typed by people). */
  public static final String PATTERN = "^[A-Za-z0-9_-]{3,32}$";

  static final int MAX_BASE_LENGTH = 24;
  // No 0/O, 1/I: a code read aloud or off a screen should survive.
  private static final char[] RANDOM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ReferralCodes() {}

  public static String canonical(String code) {
    return code == null ? null : code.strip().toUpperCase(Locale.ROOT);
  }

  /**
   * The name part of a new code: letters and digits of first and last name, accents dropped,
   * upper-case; empty when the name gives nothing usable (then {@link #random()} is used).
   */
  public static String base(String firstName, String lastName) {
    String name = (firstName == null ? "" : firstName) + (lastName == null ? "" : lastName);
    String ascii =
        Normalizer.normalize(name, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}", "")
            .replaceAll("[^A-Za-z0-9]", "")
            .toUpperCase(Locale.ROOT);
    return ascii.length() > MAX_BASE_LENGTH ? ascii.substring(0, MAX_BASE_LENGTH) : ascii;
  }

  /**
   * The first free code for {@code base}: the base itself, else the base with the smallest number
   * that no code in {@code taken} (the codes starting with base) already has.
   */
  public static String firstFree(String base, Collection<String> taken) {
    Set<String> used = new HashSet<>(taken);
    if (!used.contains(base)) {
      return base;
    }
    for (int n = 1; n <= used.size() + 1; n++) {
      String candidate = base + n;
      if (!used.contains(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("unreachable: more candidates than taken codes");
  }

  /** The base with random digits, for when sequential numbers keep colliding under races. */
  public static String withRandomDigits(String base) {
    return base + (1000 + RANDOM.nextInt(9_000_000));
  }

  public static String random() {
    StringBuilder sb = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      sb.append(RANDOM_ALPHABET[RANDOM.nextInt(RANDOM_ALPHABET.length)]);
    }
    return sb.toString();
  }
}
