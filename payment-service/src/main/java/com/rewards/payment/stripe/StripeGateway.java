package com.rewards.payment.stripe;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Card;
import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.PaymentSource;
import com.stripe.model.Refund;
import com.stripe.model.Subscription;
import com.stripe.net.Authenticator;
import com.stripe.net.BearerTokenAuthenticator;
import com.stripe.net.LiveStripeResponseGetter;
import com.stripe.net.RequestOptions;
import com.stripe.net.StripeResponseGetterOptions;
import com.stripe.param.ChargeCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerPaymentSourceCreateParams;
import com.stripe.param.CustomerPaymentSourceUpdateParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every call to Stripe goes through here. stripe-java blocks, so each call runs on a worker thread
 * and its result comes back on the caller's Vert.x context, where the Hibernate Reactive session of
 * the request lives. Failures become {@link PaymentProviderException}s; Stripe's message is never
 * passed on, and the secret key is never logged.
 */
@ApplicationScoped
public class StripeGateway {
  private static final Logger LOG = Logger.getLogger(StripeGateway.class);

  private final StripeClient client;

  public StripeGateway(StripeSettings settings) {
    this.client =
        settings
            .secretKey()
            .filter(key -> !key.isBlank())
            .map(key -> newClient(settings, key))
            .orElse(null);
    if (client == null) {
      LOG.warn("STRIPE_SECRET_KEY is not set: every payment call will answer unavailable");
    }
  }

  static StripeClient newClient(StripeSettings settings, String secretKey) {
    return new StripeClient(
        new LiveStripeResponseGetter(
            new Options(settings, new BearerTokenAuthenticator(secretKey)),
            new EventLoopGuardedHttpClient()));
  }

  /** One blocking call against the client. */
  @FunctionalInterface
  public interface Call<T> {
    T run(StripeClient client) throws StripeException;
  }

  /**
   * Runs {@code call} on a worker thread and resumes on the caller's Vert.x context (or the worker,
   * outside one).
   */
  public <T> Uni<T> call(String operation, Call<T> call) {
    if (client == null) {
      return Uni.createFrom()
          .failure(
              new PaymentProviderException(
                  PaymentProviderException.Kind.PAYMENT_PROVIDER_UNAVAILABLE));
    }
    Context context = Vertx.currentContext();
    Uni<T> onWorker =
        Uni.createFrom()
            .<T>item(
                () -> {
                  try {
                    return call.run(client);
                  } catch (StripeException e) {
                    LOG.warnf(
                        "Stripe %s failed: %s status=%s type=%s code=%s request=%s",
                        operation,
                        e.getClass().getSimpleName(),
                        e.getStatusCode(),
                        e.getStripeError() == null ? null : e.getStripeError().getType(),
                        e.getCode(),
                        e.getRequestId());
                    throw StripeErrors.translate(e);
                  }
                })
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    return context == null
        ? onWorker
        : onWorker.emitOn(task -> context.runOnContext(ignored -> task.run()));
  }

  private static RequestOptions keyed(String idempotencyKey) {
    return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
  }

  public Uni<Customer> createCustomer(String clientId, String userId, String idempotencyKey) {
    // Only ids go to Stripe: no e-mail or name of the user.
    CustomerCreateParams params =
        CustomerCreateParams.builder()
            .putMetadata("client_id", clientId)
            .putMetadata("user_id", userId)
            .build();
    return call("create customer", c -> c.customers().create(params, keyed(idempotencyKey)));
  }

  public Uni<Customer> retrieveCustomer(String customerId) {
    return call("retrieve customer", c -> c.customers().retrieve(customerId));
  }

  public Uni<Customer> updateCustomer(
      String customerId, String defaultSource, Map<String, String> metadata, String idemKey) {
    CustomerUpdateParams.Builder params = CustomerUpdateParams.builder();
    if (defaultSource != null) {
      params.setDefaultSource(defaultSource);
    }
    if (metadata != null) {
      // An empty value unsets the key at Stripe.
      params.putAllMetadata(metadata);
    }
    return call(
        "update customer", c -> c.customers().update(customerId, params.build(), keyed(idemKey)));
  }

  // Deletes and cancels are idempotent at Stripe by definition: Stripe ignores keys on them.

  public Uni<Customer> deleteCustomer(String customerId) {
    return call("delete customer", c -> c.customers().delete(customerId));
  }

  public Uni<Card> attachCard(String customerId, String token, String idempotencyKey) {
    CustomerPaymentSourceCreateParams params =
        CustomerPaymentSourceCreateParams.builder().setSource(token).build();
    return call(
            "attach card",
            c -> c.customers().paymentSources().create(customerId, params, keyed(idempotencyKey)))
        .map(StripeGateway::asCard);
  }

  public record CardAddress(String line1, String city, String zip, String country) {}

  public Uni<Card> updateCard(
      String customerId, String cardId, CardAddress address, String idempotencyKey) {
    CustomerPaymentSourceUpdateParams.Builder params = CustomerPaymentSourceUpdateParams.builder();
    if (address.line1() != null) {
      params.setAddressLine1(address.line1());
    }
    if (address.city() != null) {
      params.setAddressCity(address.city());
    }
    if (address.zip() != null) {
      params.setAddressZip(address.zip());
    }
    if (address.country() != null) {
      params.setAddressCountry(address.country());
    }
    return call(
            "update card",
            c ->
                c.customers()
                    .paymentSources()
                    .update(customerId, cardId, params.build(), keyed(idempotencyKey)))
        .map(StripeGateway::asCard);
  }

  public Uni<PaymentSource> deleteCard(String customerId, String cardId) {
    return call("delete card", c -> c.customers().paymentSources().delete(customerId, cardId));
  }

  public record ChargeRequest(
      String customerId,
      String cardId,
      long amount,
      String currency,
      String description,
      Map<String, String> metadata) {}

  public Uni<Charge> createCharge(ChargeRequest request, String idempotencyKey) {
    ChargeCreateParams.Builder params =
        ChargeCreateParams.builder()
            .setCustomer(request.customerId())
            .setAmount(request.amount())
            .setCurrency(request.currency())
            .putAllMetadata(request.metadata());
    if (request.cardId() != null) {
      params.setSource(request.cardId());
    }
    if (request.description() != null) {
      params.setDescription(request.description());
    }
    return call("create charge", c -> c.charges().create(params.build(), keyed(idempotencyKey)));
  }

  public Uni<Refund> refund(String chargeId, Long amount, String idempotencyKey) {
    RefundCreateParams.Builder params = RefundCreateParams.builder().setCharge(chargeId);
    if (amount != null) {
      params.setAmount(amount);
    }
    return call("refund charge", c -> c.refunds().create(params.build(), keyed(idempotencyKey)));
  }

  public Uni<Charge> retrieveCharge(String chargeId) {
    return call("retrieve charge", c -> c.charges().retrieve(chargeId));
  }

  public Uni<Subscription> createSubscription(
      String customerId,
      String priceId,
      long quantity,
      Map<String, String> metadata,
      String idempotencyKey) {
    SubscriptionCreateParams params =
        SubscriptionCreateParams.builder()
            .setCustomer(customerId)
            .addItem(
                SubscriptionCreateParams.Item.builder()
                    .setPrice(priceId)
                    .setQuantity(quantity)
                    .build())
            // A first payment that fails is a decline now, not an incomplete subscription later.
            .setPaymentBehavior(SubscriptionCreateParams.PaymentBehavior.ERROR_IF_INCOMPLETE)
            .putAllMetadata(metadata)
            .build();
    return call(
        "create subscription", c -> c.subscriptions().create(params, keyed(idempotencyKey)));
  }

  public Uni<Subscription> cancelSubscription(String subscriptionId) {
    return call("cancel subscription", c -> c.subscriptions().cancel(subscriptionId));
  }

  private static Card asCard(PaymentSource source) {
    if (source instanceof Card card) {
      return card;
    }
    // Only card tokens are accepted; anything else attached is refused like a bad token.
    throw new PaymentProviderException(PaymentProviderException.Kind.INVALID_CARD_TOKEN);
  }

  /** The client's settings, from configuration rather than stripe-java's global statics. */
  private static final class Options extends StripeResponseGetterOptions {
    private final StripeSettings settings;
    private final Authenticator authenticator;

    Options(StripeSettings settings, Authenticator authenticator) {
      this.settings = settings;
      this.authenticator = authenticator;
    }

    @Override
    public Authenticator getAuthenticator() {
      return authenticator;
    }

    @Override
    public String getClientId() {
      return null;
    }

    @Override
    public int getConnectTimeout() {
      return (int) settings.connectTimeout().toMillis();
    }

    @Override
    public Proxy getConnectionProxy() {
      return null;
    }

    @Override
    public int getMaxNetworkRetries() {
      return settings.maxNetworkRetries();
    }

    @Override
    public PasswordAuthentication getProxyCredential() {
      return null;
    }

    @Override
    public String getApiBase() {
      return settings.apiBase();
    }

    @Override
    public String getFilesBase() {
      return Stripe.UPLOAD_API_BASE;
    }

    @Override
    public String getConnectBase() {
      return Stripe.CONNECT_API_BASE;
    }

    @Override
    public String getMeterEventsBase() {
      return Stripe.METER_EVENTS_API_BASE;
    }

    @Override
    public int getReadTimeout() {
      return (int) settings.readTimeout().toMillis();
    }

    @Override
    public String getStripeAccount() {
      return null;
    }

    @Override
    public String getStripeContext() {
      return null;
    }
  }
}
