package com.rewards.loyalty.service;

import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.loyalty.domain.CatalogRules;
import com.rewards.loyalty.domain.Ledger;
import com.rewards.loyalty.domain.LedgerEntry;
import com.rewards.loyalty.domain.LedgerEntryRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Credits a converted referral's points. Runs in the consuming transaction; the entry's external
 * reference (referral id and side) makes a second credit impossible even past the inbox.
 */
@ApplicationScoped
public class ReferralRewards {
  static final String SOURCE_REFERRAL = "referral";

  private final CatalogRules rules;
  private final AccountRepository accounts;
  private final LedgerEntryRepository entries;
  private final Ledger ledger;

  public ReferralRewards(
      CatalogRules rules,
      AccountRepository accounts,
      LedgerEntryRepository entries,
      Ledger ledger) {
    this.rules = rules;
    this.accounts = accounts;
    this.entries = entries;
    this.ledger = ledger;
  }

  /** Credits one side; {@code side} is {@code referrer} or {@code referred}. */
  public Uni<Void> credit(
      String clientId, String referralId, String side, String userId, long points) {
    if (userId == null || points <= 0) {
      return Uni.createFrom().voidItem();
    }
    String ref = referralId + ":" + side;
    return rules
        .program(clientId)
        .chain(
            program ->
                program == null
                    ? Uni.createFrom().voidItem()
                    : accounts
                        .lockOrCreate(clientId, userId)
                        .chain(
                            account ->
                                entries
                                    .findByExternalRef(clientId, userId, SOURCE_REFERRAL, ref)
                                    .chain(
                                        existing ->
                                            existing != null
                                                ? Uni.createFrom().voidItem()
                                                : ledger
                                                    .credit(
                                                        account,
                                                        program,
                                                        LedgerEntry.EARN,
                                                        points,
                                                        SOURCE_REFERRAL,
                                                        referralId,
                                                        ref,
                                                        "referral " + side,
                                                        Instant.now())
                                                    .replaceWithVoid())));
  }
}
