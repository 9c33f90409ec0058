package com.rewards.payment.service;

import com.rewards.payment.domain.CustomerRepository;
import com.rewards.payment.domain.PaymentCustomer;
import com.rewards.payment.stripe.StripeGateway;
import com.rewards.payment.stripe.StripeKeys;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** One Stripe customer per user, created at Stripe the first time the user needs one. */
@ApplicationScoped
public class CustomerAccounts {
  private final CustomerRepository customers;
  private final StripeGateway stripe;

  public CustomerAccounts(CustomerRepository customers, StripeGateway stripe) {
    this.customers = customers;
    this.stripe = stripe;
  }

  /**
   * The user's Stripe customer id. Runs in its own transaction, before the operation that needs it,
   * so a decline later never rolls back (and orphans) a customer Stripe already created. The locked
   * row makes a concurrent first use wait and reuse this one; the Stripe key, derived from the row,
   * makes a retry after a lost commit reuse it at Stripe too.
   */
  public Uni<String> ensure(String clientId, String userId) {
    return Panache.withTransaction(
        () ->
            customers
                .lockOrCreate(clientId, userId)
                .chain(
                    customer -> {
                      if (customer.stripeCustomerId != null) {
                        return Uni.createFrom().item(customer.stripeCustomerId);
                      }
                      String key =
                          StripeKeys.derive(
                              "customer",
                              Caller.namespaced(clientId, userId) + '\n' + customer.createdAt);
                      return stripe
                          .createCustomer(clientId, userId, key)
                          .map(
                              created -> {
                                customer.stripeCustomerId = created.getId();
                                customer.updatedAt = Instant.now();
                                return created.getId();
                              });
                    }));
  }

  /**
   * Inside a transaction: the user's row, locked; {@code orElse} when the user has no Stripe
   * customer yet.
   */
  Uni<PaymentCustomer> lockExisting(String clientId, String userId, ApiException orElse) {
    return customers
        .lock(clientId, userId)
        .invoke(
            customer -> {
              if (customer == null || customer.stripeCustomerId == null) {
                throw orElse;
              }
            });
  }
}
