package com.rewards.payment.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.rewards.payment.domain.CardRepository;
import com.rewards.payment.domain.Charge;
import com.rewards.payment.domain.ChargeRepository;
import com.rewards.payment.domain.CustomerRepository;
import com.rewards.payment.domain.PaymentCustomer;
import com.rewards.payment.stripe.PaymentProviderException;
import com.rewards.payment.stripe.StripeGateway;
import com.rewards.payment.stripe.StripeKeys;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Charging a user's card and refunding it (the partner's server), and the user's charge list. */
@ApplicationScoped
public class ChargeService {
  private final CustomerAccounts accounts;
  private final CustomerRepository customers;
  private final CardRepository cards;
  private final ChargeRepository charges;
  private final PaymentRecords records;
  private final StripeGateway stripe;
  private final Idempotency idempotency;

  /** What the partner asks for; {@code cardId} null = the user's default card. */
  public record ChargeCommand(long amount, String currency, String description, String cardId) {}

  /**
   * The stored answer of a charge: a decline is an answer too (Stripe recorded a failed charge), so
   * a retry with the same key replays it instead of charging again.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ChargeOutcome(ChargeView charge, PaymentProviderException.Kind declined) {}

  public ChargeService(
      CustomerAccounts accounts,
      CustomerRepository customers,
      CardRepository cards,
      ChargeRepository charges,
      PaymentRecords records,
      StripeGateway stripe,
      Idempotency idempotency) {
    this.accounts = accounts;
    this.customers = customers;
    this.cards = cards;
    this.charges = charges;
    this.records = records;
    this.stripe = stripe;
    this.idempotency = idempotency;
  }

  @WithSession
  public Uni<List<ChargeView>> list(String clientId, String userId, int limit) {
    return charges
        .listFor(clientId, userId, limit)
        .map(list -> list.stream().map(ChargeView::of).toList());
  }

  /**
   * Charges the user's card. A decline is recorded (failed charge and its event) and then answered
   * as {@code CARD_DECLINED}; any other Stripe failure leaves nothing behind.
   */
  public Uni<ChargeView> charge(
      String clientId, String userId, ChargeCommand command, String idemKey) {
    String scope = "charge:" + clientId + ":" + userId;
    return Panache.withTransaction(
            () ->
                idempotency.execute(
                    scope,
                    idemKey,
                    command,
                    ChargeOutcome.class,
                    () ->
                        accounts
                            .lockExisting(clientId, userId, noCard())
                            .chain(
                                customer ->
                                    cardToCharge(customer, command.cardId())
                                        .chain(
                                            cardId ->
                                                chargeLocked(
                                                    customer,
                                                    command,
                                                    cardId,
                                                    StripeKeys.derive(scope, idemKey))))))
        .map(
            outcome -> {
              if (outcome.declined() != null) {
                throw new PaymentProviderException(outcome.declined());
              }
              return outcome.charge();
            });
  }

  private Uni<String> cardToCharge(PaymentCustomer customer, String requested) {
    if (requested == null) {
      if (customer.defaultCardId == null) {
        throw noCard();
      }
      return Uni.createFrom().item(customer.defaultCardId);
    }
    return cards
        .findOwned(customer.clientId, customer.userId, requested)
        .map(
            card -> {
              if (card == null) {
                throw CardService.noSuchCard();
              }
              return card.id;
            });
  }

  private Uni<ChargeOutcome> chargeLocked(
      PaymentCustomer customer, ChargeCommand command, String cardId, String stripeKey) {
    Map<String, String> metadata =
        Map.of("client_id", customer.clientId, "user_id", customer.userId);
    return stripe
        .createCharge(
            new StripeGateway.ChargeRequest(
                customer.stripeCustomerId,
                cardId,
                command.amount(),
                command.currency(),
                command.description(),
                metadata),
            stripeKey)
        .chain(
            charge ->
                records
                    .charge(customer, charge, Instant.now().getEpochSecond())
                    .map(stored -> new ChargeOutcome(ChargeView.of(stored), null)))
        .onFailure(ChargeService::isDeclineWithCharge)
        .recoverWithUni(
            failure -> {
              PaymentProviderException e = (PaymentProviderException) failure;
              return records
                  .declinedCharge(
                      customer,
                      e.chargeId(),
                      command.amount(),
                      command.currency(),
                      command.description(),
                      cardId,
                      e.providerCode() == null ? "card_declined" : e.providerCode())
                  .map(stored -> new ChargeOutcome(ChargeView.of(stored), e.kind()));
            });
  }

  private static boolean isDeclineWithCharge(Throwable failure) {
    return failure instanceof PaymentProviderException e
        && e.kind().isDecline()
        && e.chargeId() != null;
  }

  /** Refunds all of a charge, or {@code amount} of it; the partner's charges only. */
  public Uni<ChargeView> refund(String clientId, String chargeId, Long amount, String idemKey) {
    String scope = "refund:" + clientId;
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                scope,
                idemKey,
                Arrays.asList(chargeId, amount),
                ChargeView.class,
                () ->
                    charges
                        .ownerOf(clientId, chargeId)
                        .chain(
                            userId -> {
                              if (userId == null) {
                                throw ApiException.notFound("No such charge.");
                              }
                              return customers
                                  .lock(clientId, userId)
                                  .chain(() -> charges.lock(chargeId))
                                  .chain(
                                      charge ->
                                          refundLocked(
                                              charge, amount, StripeKeys.derive(scope, idemKey)));
                            })));
  }

  private Uni<ChargeView> refundLocked(Charge charge, Long amount, String stripeKey) {
    if (!Charge.SUCCEEDED.equals(charge.status)) {
      throw ApiException.conflict(
          "CHARGE_NOT_REFUNDABLE", "Only a succeeded charge can be refunded.");
    }
    long left = charge.amount - charge.amountRefunded;
    if (left <= 0) {
      throw ApiException.conflict("CHARGE_ALREADY_REFUNDED", "This charge is fully refunded.");
    }
    if (amount != null && amount > left) {
      throw ApiException.badRequest("amount is more than what is left to refund (" + left + ").");
    }
    return stripe
        .refund(charge.id, amount, stripeKey)
        .chain(
            refund ->
                records.refunded(
                    charge,
                    charge.amountRefunded
                        + (refund.getAmount() == null ? left : refund.getAmount())))
        .map(ChargeView::of);
  }

  static ApiException noCard() {
    return ApiException.conflict("NO_DEFAULT_CARD", "The user has no card to charge.");
  }
}
