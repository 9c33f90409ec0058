package com.rewards.payment.domain;

import com.rewards.platform.event.UserErasures;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.LinkedHashMap;
import java.util.Map;

@ApplicationScoped
public class CustomerRepository
    implements PanacheRepositoryBase<PaymentCustomer, PaymentCustomer.Key> {

  public Uni<PaymentCustomer> findFor(String clientId, String userId) {
    return findById(new PaymentCustomer.Key(clientId, userId));
  }

  /** The user's row locked for the rest of the transaction, or null. */
  public Uni<PaymentCustomer> lock(String clientId, String userId) {
    return findById(new PaymentCustomer.Key(clientId, userId), LockModeType.PESSIMISTIC_WRITE);
  }

  /**
   * The user's row, created without a Stripe customer if new, locked: a concurrent first use blocks
   * on the insert until this transaction ends and then sees what it stored.
   */
  public Uni<PaymentCustomer> lockOrCreate(String clientId, String userId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into customers (client_id, user_id) values (:c, :u)"
                            + " on conflict do nothing")
                    .setParameter("c", clientId)
                    .setParameter("u", userId)
                    .executeUpdate())
        .chain(() -> lock(clientId, userId));
  }

  /** The row of a Stripe customer, locked, or null when it is not one of ours (any more). */
  public Uni<PaymentCustomer> lockByStripeId(String stripeCustomerId) {
    return find("stripeCustomerId", stripeCustomerId)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResult();
  }

  /**
   * Removes every row of the user: subscriptions, charges, cards and the customer itself. Answers
   * the rows removed per table.
   */
  public Uni<Map<String, Integer>> purge(String clientId, String userId) {
    Map<String, String> statements = new LinkedHashMap<>();
    statements.put(
        "subscriptions", "delete from subscriptions where client_id = :c and user_id = :u");
    statements.put("charges", "delete from charges where client_id = :c and user_id = :u");
    statements.put("cards", "delete from cards where client_id = :c and user_id = :u");
    statements.put("customers", "delete from customers where client_id = :c and user_id = :u");
    return UserErasures.run(statements, clientId, userId);
  }
}
