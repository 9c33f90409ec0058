package com.rewards.payment.service;

import com.rewards.payment.domain.CustomerRepository;
import com.rewards.payment.domain.PaymentCustomer;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.event.Inbox;
import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Card;
import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.net.ApiResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Applies Stripe's webhook events (already verified) to the local rows, each event id once. This is
 * how changes made outside our own calls arrive: subscription renewals and their charges, dashboard
 * refunds, a subscription Stripe cancels for non-payment. Nothing here calls Stripe.
 */
@ApplicationScoped
public class WebhookService {
  static final String CONSUMER = "payment-service.stripe-webhooks";
  private static final Logger LOG = Logger.getLogger(WebhookService.class);

  private final Inbox inbox;
  private final CustomerRepository customers;
  private final PaymentRecords records;

  public WebhookService(Inbox inbox, CustomerRepository customers, PaymentRecords records) {
    this.inbox = inbox;
    this.customers = customers;
    this.records = records;
  }

  /** The event parsed with stripe-java's own model, or a 400 for anything else. */
  public static Event parse(String payload) {
    try {
      Event event = ApiResource.GSON.fromJson(payload, Event.class);
      if (event == null || event.getId() == null || event.getType() == null) {
        throw ApiException.badRequest("The body is not a Stripe event.");
      }
      return event;
    } catch (RuntimeException e) {
      if (e instanceof ApiException api) {
        throw api;
      }
      throw ApiException.badRequest("The body is not a Stripe event.");
    }
  }

  /** Answers false when this event id was applied before (a redelivery or a replay). */
  public Uni<Boolean> apply(Event event) {
    StripeObject object = objectOf(event);
    long seenAt = event.getCreated() == null ? Instant.now().getEpochSecond() : event.getCreated();
    return Panache.withTransaction(
        () -> inbox.once(CONSUMER, event.getId(), () -> dispatch(event.getType(), object, seenAt)));
  }

  private Uni<?> dispatch(String type, StripeObject object, long seenAt) {
    if (object instanceof Charge charge && type.startsWith("charge.")) {
      return withCustomer(charge.getCustomer(), c -> records.charge(c, charge, seenAt));
    }
    if (object instanceof Subscription subscription && type.startsWith("customer.subscription.")) {
      return withCustomer(
          subscription.getCustomer(), c -> records.subscription(c, subscription, seenAt));
    }
    if (object instanceof Card card && type.startsWith("customer.source.")) {
      return withCustomer(
          card.getCustomer(),
          c ->
              type.equals("customer.source.deleted")
                  ? records.removeCard(c, card.getId())
                  : records.card(c, card));
    }
    if (object instanceof Customer customer) {
      return switch (type) {
        case "customer.updated" ->
            withCustomer(
                customer.getId(),
                c -> {
                  c.defaultCardId = customer.getDefaultSource();
                  Map<String, String> m =
                      customer.getMetadata() == null ? Map.of() : customer.getMetadata();
                  c.vatNumber = emptyToNull(m.get(CardService.VAT_NUMBER));
                  c.companyName = emptyToNull(m.get(CardService.COMPANY_NAME));
                  c.updatedAt = Instant.now();
                  return Uni.createFrom().voidItem();
                });
        // Deleted at Stripe by someone else: the user starts over with a new customer.
        case "customer.deleted" ->
            withCustomer(
                customer.getId(),
                c -> {
                  c.stripeCustomerId = null;
                  c.defaultCardId = null;
                  c.updatedAt = Instant.now();
                  return Panache.getSession()
                      .chain(
                          s ->
                              s.createNativeQuery(
                                      "delete from cards where client_id = :c and user_id = :u")
                                  .setParameter("c", c.clientId)
                                  .setParameter("u", c.userId)
                                  .executeUpdate());
                });
        default -> Uni.createFrom().voidItem();
      };
    }
    return Uni.createFrom().voidItem();
  }

  /** Runs {@code work} on the locked row of one of our customers; other customers are ignored. */
  private Uni<?> withCustomer(String stripeCustomerId, Function<PaymentCustomer, Uni<?>> work) {
    if (stripeCustomerId == null) {
      return Uni.createFrom().voidItem();
    }
    return customers
        .lockByStripeId(stripeCustomerId)
        .chain(customer -> customer == null ? Uni.createFrom().voidItem() : work.apply(customer));
  }

  private static StripeObject objectOf(Event event) {
    var data = event.getDataObjectDeserializer();
    // Events of another API version than stripe-java's still carry the fields we read.
    return data.getObject()
        .orElseGet(
            () -> {
              try {
                return data.deserializeUnsafe();
              } catch (EventDataObjectDeserializationException | RuntimeException e) {
                LOG.warnf(
                    "Stripe event %s of type %s has an unreadable object",
                    event.getId(), event.getType());
                return null;
              }
            });
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
