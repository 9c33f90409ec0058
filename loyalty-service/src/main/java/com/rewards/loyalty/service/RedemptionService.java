package com.rewards.loyalty.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.loyalty.domain.Account;
import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.loyalty.domain.CatalogRules;
import com.rewards.loyalty.domain.Gift;
import com.rewards.loyalty.domain.GiftRepository;
import com.rewards.loyalty.domain.Ledger;
import com.rewards.loyalty.domain.LedgerEntry;
import com.rewards.loyalty.domain.Redemption;
import com.rewards.loyalty.domain.RedemptionRepository;
import com.rewards.loyalty.event.LoyaltyEvents;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Buying a gift with points and refunding it. The account row lock serializes one user's purchases;
 * a limited stock is taken by one guarded update, the purchase's last statement, so the last unit
 * goes to exactly one buyer and the gift's row lock is held only until the commit.
 */
@ApplicationScoped
public class RedemptionService {
  static final String SOURCE_GIFT = "gift";
  static final String SOURCE_REDEMPTION = "redemption";

  private final CatalogRules rules;
  private final GiftRepository gifts;
  private final AccountRepository accounts;
  private final RedemptionRepository redemptions;
  private final Ledger ledger;
  private final LoyaltyEvents events;
  private final Idempotency idempotency;

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Redeemed(
      String redemptionId,
      String userId,
      String giftId,
      String giftName,
      long cost,
      long balance,
      String state,
      boolean dryRun,
      Instant createdAt) {}

  public RedemptionService(
      CatalogRules rules,
      GiftRepository gifts,
      AccountRepository accounts,
      RedemptionRepository redemptions,
      Ledger ledger,
      LoyaltyEvents events,
      Idempotency idempotency) {
    this.rules = rules;
    this.gifts = gifts;
    this.accounts = accounts;
    this.redemptions = redemptions;
    this.ledger = ledger;
    this.events = events;
    this.idempotency = idempotency;
  }

  /** {@code gift/checkavailability}: buys the gift when balance, stock and limits allow. */
  public Uni<Redeemed> buy(
      String clientId, String userId, UUID giftId, boolean dryRun, String idempotencyKey) {
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                "buy:" + clientId + ":" + userId,
                idempotencyKey,
                List.of(giftId.toString(), dryRun),
                Redeemed.class,
                () -> buyInTransaction(clientId, userId, giftId, dryRun)));
  }

  private Uni<Redeemed> buyInTransaction(
      String clientId, String userId, UUID giftId, boolean dryRun) {
    Instant now = Instant.now();
    return gifts
        .forPurchase(clientId, giftId)
        .chain(
            gift -> {
              if (gift == null) {
                throw ApiException.notFound("No such gift.");
              }
              if (!gift.isOpenAt(now)) {
                throw ApiException.conflict("GIFT_NOT_AVAILABLE", "This gift is not offered now.");
              }
              Uni<Account> account =
                  dryRun
                      ? accounts
                          .find(clientId, userId)
                          .map(a -> a != null ? a : Account.empty(clientId, userId))
                      : accounts.lockOrCreate(clientId, userId);
              return account.chain(a -> buyOnAccount(gift, a, dryRun, now));
            });
  }

  private Uni<Redeemed> buyOnAccount(Gift gift, Account account, boolean dryRun, Instant now) {
    if (account.balance < gift.cost) {
      throw ApiException.conflict(
          "INSUFFICIENT_POINTS", "The balance does not cover this gift's cost.");
    }
    Uni<Void> limit =
        gift.maxPerUser == null
            ? Uni.createFrom().voidItem()
            : redemptions
                .countCompleted(account.clientId, account.userId, gift.id)
                .invoke(
                    n -> {
                      if (n >= gift.maxPerUser) {
                        throw ApiException.conflict(
                            "LIMIT_REACHED", "The user has bought this gift as often as allowed.");
                      }
                    })
                .replaceWithVoid();
    return limit.chain(
        () -> {
          if (dryRun) {
            if (gift.stock != null && gift.stock == 0) {
              throw outOfStock();
            }
            return Uni.createFrom()
                .item(
                    new Redeemed(
                        null,
                        account.userId,
                        gift.id.toString(),
                        gift.name,
                        gift.cost,
                        account.balance - gift.cost,
                        null,
                        true,
                        now));
          }
          // The gift row is locked last: the debit, the redemption and the event are written
          // first, so a limited gift's row lock is held for one statement and the commit, and an
          // unlimited gift's row is not locked at all. Burns of one gift by different users then
          // run side by side; one user's burns are still serialized by the account lock. An out
          // of stock answer rolls all of it back.
          return ledger
              .debit(
                  account,
                  LedgerEntry.BURN,
                  gift.cost,
                  SOURCE_GIFT,
                  gift.id.toString(),
                  gift.name,
                  now)
              .chain(
                  entry -> {
                    Redemption redemption = new Redemption();
                    redemption.id = UUID.randomUUID();
                    redemption.clientId = account.clientId;
                    redemption.userId = account.userId;
                    redemption.giftId = gift.id;
                    redemption.cost = gift.cost;
                    redemption.state = Redemption.COMPLETED;
                    redemption.entryId = entry.id;
                    redemption.createdAt = now;
                    return redemptions
                        .insert(redemption, events.redemptionRow(redemption, gift))
                        .replaceWith(redemption);
                  })
              .call(
                  r ->
                      gifts
                          .takeOne(gift)
                          .invoke(
                              taken -> {
                                if (!taken) {
                                  throw outOfStock();
                                }
                              }))
              .map(r -> view(r, gift, account.balance));
        });
  }

  /** The partner's server refunds a redemption: points and stock go back, once. */
  public Uni<Redeemed> refund(String clientId, UUID redemptionId, String idempotencyKey) {
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                "refund:" + clientId,
                idempotencyKey,
                redemptionId.toString(),
                Redeemed.class,
                () -> refundInTransaction(clientId, redemptionId)));
  }

  private Uni<Redeemed> refundInTransaction(String clientId, UUID redemptionId) {
    Instant now = Instant.now();
    return redemptions
        .lockOwned(clientId, redemptionId)
        .chain(
            redemption -> {
              if (redemption == null) {
                throw ApiException.notFound("No such redemption.");
              }
              if (!Redemption.COMPLETED.equals(redemption.state)) {
                throw ApiException.conflict(
                    "ALREADY_REFUNDED", "This redemption was already refunded.");
              }
              return EarnService.requireProgram(rules, clientId)
                  .chain(
                      program ->
                          accounts
                              .lockOrCreate(clientId, redemption.userId)
                              .chain(
                                  account ->
                                      ledger
                                          .credit(
                                              account,
                                              program,
                                              LedgerEntry.REFUND,
                                              redemption.cost,
                                              SOURCE_REDEMPTION,
                                              redemption.id.toString(),
                                              null,
                                              "gift refunded",
                                              now)
                                          .chain(
                                              posting -> {
                                                redemption.state = Redemption.REFUNDED;
                                                redemption.refundedAt = now;
                                                redemption.refundEntry = posting.entry().id;
                                                return redemptions
                                                    .touch(redemption.id)
                                                    .chain(() -> gifts.putBack(redemption.giftId))
                                                    .chain(() -> gifts.findById(redemption.giftId))
                                                    .call(g -> events.redemption(redemption, g))
                                                    .map(g -> view(redemption, g, account.balance));
                                              })));
            });
  }

  static Redeemed view(Redemption r, Gift gift, long balance) {
    return new Redeemed(
        r.id.toString(),
        r.userId,
        gift.id.toString(),
        gift.name,
        r.cost,
        balance,
        r.state,
        false,
        r.createdAt);
  }

  private static ApiException outOfStock() {
    return ApiException.conflict("OUT_OF_STOCK", "This gift is out of stock.");
  }
}
