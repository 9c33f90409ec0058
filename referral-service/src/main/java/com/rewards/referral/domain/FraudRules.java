package com.rewards.referral.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules an application of a code goes through. A refusal stops it with a machine-readable
 * reason; flags let it through but hold it for the partner's moderation.
 */
public final class FraudRules {
  /** Refusals (the {@code code} of the problem and the reason of the denied event). */
  public static final String SELF_REFERRAL = "SELF_REFERRAL";

  public static final String ALREADY_REFERRED = "ALREADY_REFERRED";
  public static final String CODE_INVALID = "CODE_INVALID";
  public static final String VELOCITY_LIMIT = "VELOCITY_LIMIT";
  public static final String NOT_REFERABLE = "NOT_REFERABLE";

  /** Flags (reasons of a FLAGGED referral). */
  public static final String SIMILAR_EMAIL = "SIMILAR_EMAIL";

  public static final String DISPOSABLE_EMAIL = "DISPOSABLE_EMAIL";
  public static final String CIRCULAR_REFERRAL = "CIRCULAR_REFERRAL";
  public static final String RAPID_REFERRALS = "RAPID_REFERRALS";

  /** A short list of throwaway-mailbox domains; partners needing more moderate by hand. */
  static final Set<String> DISPOSABLE_DOMAINS =
      Set.of(
          "mailinator.com",
          "guerrillamail.com",
          "sharklasers.com",
          "10minutemail.com",
          "tempmail.com",
          "temp-mail.org",
          "yopmail.com",
          "trashmail.com",
          "getnada.com",
          "dispostable.com",
          "maildrop.cc",
          "throwawaymail.com");

  private FraudRules() {}

  /** A refusal: the rule that stopped the application and what the client is told. */
  public record Refusal(int status, String code, String message) {}

  /**
   * Self-referral in any of its forms: the same user, two users of the same account, or two users
   * with the same email address.
   */
  public static Refusal selfReferral(Participant referrer, Participant referred) {
    if (referrer.userId.equals(referred.userId)) {
      return new Refusal(409, SELF_REFERRAL, "A user cannot apply their own referral code.");
    }
    if (referrer.accountId.equals(referred.accountId)) {
      return new Refusal(409, SELF_REFERRAL, "Users of the same account cannot refer each other.");
    }
    String a = lower(referrer.email);
    if (a != null && a.equals(lower(referred.email))) {
      return new Refusal(
          409, SELF_REFERRAL, "Users with the same email address cannot refer each other.");
    }
    return null;
  }

  /**
   * Suspicious but allowed: answers the reasons to flag the referral for, empty when clean.
   *
   * @param referrerWasReferredByReferred the referrer was themselves referred by this user
   * @param referrerLastHour referrals the referrer collected in the last hour before this one
   */
  public static List<String> flags(
      Participant referrer,
      Participant referred,
      boolean referrerWasReferredByReferred,
      long referrerLastHour,
      Integer hourlyThreshold) {
    List<String> reasons = new ArrayList<>();
    String a = canonicalEmail(referrer.email);
    if (a != null && a.equals(canonicalEmail(referred.email))) {
      reasons.add(SIMILAR_EMAIL);
    }
    if (isDisposable(referred.email)) {
      reasons.add(DISPOSABLE_EMAIL);
    }
    if (referrerWasReferredByReferred) {
      reasons.add(CIRCULAR_REFERRAL);
    }
    if (hourlyThreshold != null && referrerLastHour >= hourlyThreshold) {
      reasons.add(RAPID_REFERRALS);
    }
    return reasons;
  }

  /**
   * The mailbox an address really reaches, as far as we can tell: lower-case, without a "+tag", and
   * without dots for Gmail (which ignores them).
   */
  static String canonicalEmail(String email) {
    String lower = lower(email);
    if (lower == null) {
      return null;
    }
    int at = lower.lastIndexOf('@');
    if (at <= 0) {
      return lower;
    }
    String local = lower.substring(0, at);
    String domain = lower.substring(at + 1);
    int plus = local.indexOf('+');
    if (plus > 0) {
      local = local.substring(0, plus);
    }
    if (domain.equals("googlemail.com")) {
      domain = "gmail.com";
    }
    if (domain.equals("gmail.com")) {
      local = local.replace(".", "");
    }
    return local + "@" + domain;
  }

  static boolean isDisposable(String email) {
    String lower = lower(email);
    if (lower == null) {
      return false;
    }
    int at = lower.lastIndexOf('@');
    return at >= 0 && DISPOSABLE_DOMAINS.contains(lower.substring(at + 1));
  }

  private static String lower(String email) {
    return email == null || email.isBlank() ? null : email.strip().toLowerCase(Locale.ROOT);
  }
}
