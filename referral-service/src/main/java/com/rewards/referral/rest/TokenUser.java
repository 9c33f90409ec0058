package com.rewards.referral.rest;

/**
 * The {@code user} object of a client JWT (document 001). A read token names the user ({@code id},
 * {@code accountId}); a write token also carries fields, which are then the only user fields the
 * request may set.
 */
public record TokenUser(
    String id,
    String accountId,
    String email,
    String firstName,
    String lastName,
    String locale,
    String referralCode,
    String imageUrl,
    boolean carriesServerOnlyFields) {

  public boolean isWriteToken() {
    return email != null
        || firstName != null
        || lastName != null
        || locale != null
        || referralCode != null
        || imageUrl != null;
  }
}
