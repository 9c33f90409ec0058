package com.rewards.payment.service;

import com.rewards.payment.domain.Card;
import com.rewards.payment.domain.CardRepository;
import com.rewards.payment.domain.CustomerRepository;
import com.rewards.payment.domain.PaymentCustomer;
import com.rewards.payment.domain.SubscriptionRepository;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's cards and customer metadata (document 002). Writes go to Stripe first, inside the
 * transaction that then records the answer: a Stripe failure rolls everything back, so nothing is
 * half-written here. Reads are served from the local rows.
 */
@ApplicationScoped
public class CardService {
  static final String VAT_NUMBER = "vat_number";
  static final String COMPANY_NAME = "company_name";

  private final CustomerAccounts accounts;
  private final CustomerRepository customers;
  private final CardRepository cards;
  private final SubscriptionRepository subscriptions;
  private final PaymentRecords records;
  private final StripeGateway stripe;
  private final Idempotency idempotency;

  public CardService(
      CustomerAccounts accounts,
      CustomerRepository customers,
      CardRepository cards,
      SubscriptionRepository subscriptions,
      PaymentRecords records,
      StripeGateway stripe,
      Idempotency idempotency) {
    this.accounts = accounts;
    this.customers = customers;
    this.cards = cards;
    this.subscriptions = subscriptions;
    this.records = records;
    this.stripe = stripe;
    this.idempotency = idempotency;
  }

  /** Attaches the card of a Stripe token; the user's first card becomes the default. */
  public Uni<CardView> attach(String clientId, String userId, String token, String idemKey) {
    String scope = "attach:" + clientId + ":" + userId;
    return accounts
        .ensure(clientId, userId)
        .chain(
            customerId ->
                Panache.withTransaction(
                    () ->
                        idempotency.execute(
                            scope,
                            idemKey,
                            token,
                            CardView.class,
                            () ->
                                stripe
                                    .attachCard(
                                        customerId, token, StripeKeys.derive(scope, idemKey))
                                    .chain(source -> recordAttached(clientId, userId, source)))));
  }

  private Uni<CardView> recordAttached(
      String clientId, String userId, com.stripe.model.Card source) {
    return lockCustomer(clientId, userId)
        .chain(
            customer ->
                records
                    .card(customer, source)
                    .map(
                        card -> {
                          if (customer.defaultCardId == null) {
                            // Stripe makes a customer's first source its default too.
                            customer.defaultCardId = card.id;
                          }
                          return view(card, customer);
                        }));
  }

  @WithSession
  public Uni<CardView> defaultCard(String clientId, String userId) {
    return customers
        .findFor(clientId, userId)
        .chain(
            customer ->
                customer == null || customer.defaultCardId == null
                    ? Uni.createFrom().<Card>nullItem()
                    : cards.findOwned(clientId, userId, customer.defaultCardId))
        .map(
            card -> {
              if (card == null) {
                throw ApiException.notFound("The user has no default card.");
              }
              return CardView.of(card, true);
            });
  }

  @WithSession
  public Uni<CardView> card(String clientId, String userId, String cardId) {
    return cards
        .findOwned(clientId, userId, cardId)
        .chain(
            card -> {
              if (card == null) {
                throw noSuchCard();
              }
              return customers.findFor(clientId, userId).map(customer -> view(card, customer));
            });
  }

  @WithSession
  public Uni<List<CardView>> list(String clientId, String userId) {
    return customers
        .findFor(clientId, userId)
        .chain(
            customer ->
                cards
                    .listFor(clientId, userId)
                    .map(all -> all.stream().map(card -> view(card, customer)).toList()));
  }

  /**
   * Deletes a card; 403 when it is the last one and a subscription still bills the user. The user's
   * row stays locked across the Stripe call, so two deletions (or a deletion and a new
   * subscription) cannot both pass that check.
   */
  public Uni<CardView> delete(String clientId, String userId, String cardId, String idemKey) {
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                "delete-card:" + clientId + ":" + userId,
                idemKey,
                cardId,
                CardView.class,
                () ->
                    accounts
                        .lockExisting(clientId, userId, noSuchCard())
                        .chain(customer -> deleteLocked(customer, cardId))));
  }

  private Uni<CardView> deleteLocked(PaymentCustomer customer, String cardId) {
    return cards
        .findOwned(customer.clientId, customer.userId, cardId)
        .chain(
            card -> {
              if (card == null) {
                throw noSuchCard();
              }
              return cards
                  .countFor(customer.clientId, customer.userId)
                  .chain(
                      n ->
                          n > 1
                              ? Uni.createFrom().item(false)
                              : subscriptions.hasLive(customer.clientId, customer.userId))
                  .chain(
                      blocked -> {
                        if (blocked) {
                          throw ApiException.forbidden(
                              "CARD_REQUIRED_BY_SUBSCRIPTION",
                              "The last card cannot be deleted while a subscription is active.");
                        }
                        boolean wasDefault = cardId.equals(customer.defaultCardId);
                        CardView deleted = CardView.of(card, wasDefault).asDeleted();
                        return stripe
                            .deleteCard(customer.stripeCustomerId, cardId)
                            .replaceWithVoid()
                            // Already gone at Stripe (an earlier try that did not commit here).
                            .onFailure(PaymentProviderException.class)
                            .recoverWithUni(e -> ignoreNotFound((PaymentProviderException) e))
                            .chain(() -> records.removeCard(customer, cardId))
                            .chain(
                                () ->
                                    wasDefault
                                        ? adoptStripeDefault(customer)
                                        : Uni.createFrom().voidItem())
                            .replaceWith(deleted);
                      });
            });
  }

  /** Stripe picks the next default itself when the default goes; we follow its choice. */
  private Uni<Void> adoptStripeDefault(PaymentCustomer customer) {
    return stripe
        .retrieveCustomer(customer.stripeCustomerId)
        .invoke(
            remote -> {
              customer.defaultCardId = remote.getDefaultSource();
              customer.updatedAt = Instant.now();
            })
        .replaceWithVoid();
  }

  public Uni<CardView> makeDefault(String clientId, String userId, String cardId, String idemKey) {
    String scope = "default-card:" + clientId + ":" + userId;
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                scope,
                idemKey,
                cardId,
                CardView.class,
                () ->
                    accounts
                        .lockExisting(clientId, userId, noSuchCard())
                        .chain(
                            customer ->
                                cards
                                    .findOwned(clientId, userId, cardId)
                                    .chain(
                                        card -> {
                                          if (card == null) {
                                            throw noSuchCard();
                                          }
                                          return stripe
                                              .updateCustomer(
                                                  customer.stripeCustomerId,
                                                  cardId,
                                                  null,
                                                  StripeKeys.derive(scope, idemKey))
                                              .map(
                                                  remote -> {
                                                    customer.defaultCardId = cardId;
                                                    customer.updatedAt = Instant.now();
                                                    return CardView.of(card, true);
                                                  });
                                        }))));
  }

  /** Document 002's card "metadata": the billing address fields of Stripe's card. */
  public Uni<CardView> updateAddress(
      String clientId,
      String userId,
      String cardId,
      StripeGateway.CardAddress address,
      String idemKey) {
    String scope = "update-card:" + clientId + ":" + userId;
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                scope,
                idemKey,
                List.of(cardId, address),
                CardView.class,
                () ->
                    accounts
                        .lockExisting(clientId, userId, noSuchCard())
                        .chain(
                            customer ->
                                cards
                                    .findOwned(clientId, userId, cardId)
                                    .chain(
                                        card -> {
                                          if (card == null) {
                                            throw noSuchCard();
                                          }
                                          return stripe
                                              .updateCard(
                                                  customer.stripeCustomerId,
                                                  cardId,
                                                  address,
                                                  StripeKeys.derive(scope, idemKey))
                                              .chain(source -> records.card(customer, source))
                                              .map(updated -> view(updated, customer));
                                        }))));
  }

  @WithSession
  public Uni<CustomerMetadata> metadata(String clientId, String userId) {
    return customers
        .findFor(clientId, userId)
        .map(
            c ->
                c == null
                    ? new CustomerMetadata(null, null)
                    : new CustomerMetadata(c.vatNumber, c.companyName));
  }

  /** Sets the given fields at Stripe (an empty string clears one) and keeps Stripe's answer. */
  public Uni<CustomerMetadata> updateMetadata(
      String clientId, String userId, CustomerMetadata metadata, String idemKey) {
    Map<String, String> changes = new LinkedHashMap<>();
    if (metadata.vatNumber() != null) {
      changes.put(VAT_NUMBER, metadata.vatNumber());
    }
    if (metadata.companyName() != null) {
      changes.put(COMPANY_NAME, metadata.companyName());
    }
    if (changes.isEmpty()) {
      return Uni.createFrom()
          .failure(ApiException.badRequest("metadata needs vat_number or company_name."));
    }
    String scope = "metadata:" + clientId + ":" + userId;
    return accounts
        .ensure(clientId, userId)
        .chain(
            customerId ->
                Panache.withTransaction(
                    () ->
                        idempotency.execute(
                            scope,
                            idemKey,
                            changes,
                            CustomerMetadata.class,
                            () ->
                                stripe
                                    .updateCustomer(
                                        customerId,
                                        null,
                                        changes,
                                        StripeKeys.derive(scope, idemKey))
                                    .chain(remote -> recordMetadata(clientId, userId, remote)))));
  }

  /** Keeps what Stripe answered, not what was asked: Stripe's metadata is the truth. */
  private Uni<CustomerMetadata> recordMetadata(
      String clientId, String userId, com.stripe.model.Customer remote) {
    Map<String, String> m = remote.getMetadata() == null ? Map.of() : remote.getMetadata();
    return lockCustomer(clientId, userId)
        .map(
            customer -> {
              customer.vatNumber = blankToNull(m.get(VAT_NUMBER));
              customer.companyName = blankToNull(m.get(COMPANY_NAME));
              customer.updatedAt = Instant.now();
              return new CustomerMetadata(customer.vatNumber, customer.companyName);
            });
  }

  private Uni<PaymentCustomer> lockCustomer(String clientId, String userId) {
    // The row was created by ensure(); it is gone only if the user was deleted meanwhile.
    return accounts.lockExisting(
        clientId, userId, ApiException.notFound("The user has no payment account."));
  }

  private static Uni<Void> ignoreNotFound(PaymentProviderException e) {
    return e.kind() == PaymentProviderException.Kind.PAYMENT_PROVIDER_NOT_FOUND
        ? Uni.createFrom().voidItem()
        : Uni.createFrom().failure(e);
  }

  private static CardView view(Card card, PaymentCustomer customer) {
    return CardView.of(card, customer != null && card.id.equals(customer.defaultCardId));
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  static ApiException noSuchCard() {
    return ApiException.notFound("No such card.");
  }
}
