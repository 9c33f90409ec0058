package com.rewards.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.Stripe;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Stripe-compatible HTTP server for tests: enough of Stripe's v1 API (customers, card sources,
 * charges, refunds, subscriptions) in Stripe's wire format that the real stripe-java client talks
 * to it unchanged: form-encoded requests with bracket notation, JSON objects with {@code object}
 * and {@code id}, lists with {@code data}/{@code has_more}, Stripe's error bodies and statuses, and
 * idempotent replays (same {@code Idempotency-Key} and parameters = the stored answer, other
 * parameters = {@code idempotency_error}).
 *
 * <p>Test tokens behave as in Stripe's test mode: {@code tok_visa}, {@code tok_mastercard}, {@code
 * tok_amex} attach; {@code tok_chargeDeclined} is declined on attach; {@code
 * tok_chargeCustomerFail} attaches but every charge on it is declined. Prices are any {@code
 * price_...} id but {@code price_missing}.
 *
 * <p>Faults ({@link #fail}, {@link #delay}) are injected per method and path prefix until closed.
 */
public class FakeStripe implements QuarkusTestResourceLifecycleManager {
  public static final String SECRET_KEY =
      "sk_test_fake_" + UUID.randomUUID().toString().replace("-", "");
  public static final String WEBHOOK_SECRET =
      "whsec_test_" + UUID.randomUUID().toString().replace("-", "");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile FakeStripe instance;

  private final Object lock = new Object();
  private final Map<String, Map<String, Object>> customers = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> cards = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> charges = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> subscriptions = new LinkedHashMap<>();
  private final Map<String, Stored> idempotent = new LinkedHashMap<>();
  private final Map<String, String> failingCards = new LinkedHashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private ExecutorService executor;

  /** One request as the fake saw it. */
  public record Request(
      String method,
      String path,
      Map<String, Object> params,
      String idempotencyKey,
      boolean replayed,
      int status) {}

  private record Stored(String fingerprint, int status, String body) {}

  private record Fault(
      String method, String pathPrefix, int status, String type, String code, Duration delay) {
    boolean matches(String m, String path) {
      return method.equals(m) && path.startsWith(pathPrefix);
    }
  }

  private record Answer(int status, Object body) {}

  /** A Stripe error, thrown by handlers and written as Stripe's error body. */
  private static final class StripeError extends RuntimeException {
    final int status;
    final Map<String, Object> error;

    StripeError(int status, String type, String code, String param, String message) {
      super(message, null, false, false);
      this.status = status;
      this.error = new LinkedHashMap<>();
      error.put("type", type);
      if (code != null) {
        error.put("code", code);
      }
      if (param != null) {
        error.put("param", param);
      }
      error.put("message", message);
    }

    StripeError with(String key, Object value) {
      error.put(key, value);
      return this;
    }
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public Map<String, String> start() {
    startServer();
    instance = this;
    return Map.of(
        "rewards.payment.stripe.api-base", baseUrl(),
        "rewards.payment.stripe.secret-key", SECRET_KEY,
        "rewards.payment.stripe.webhook-secret", WEBHOOK_SECRET);
  }

  @Override
  public void stop() {
    stopServer();
  }

  public void startServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      executor =
          Executors.newFixedThreadPool(
              8,
              r -> {
                Thread t = new Thread(r, "fake-stripe");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      server.createContext("/", this::handle);
      server.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public void stopServer() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The instance the Quarkus application under test talks to. */
  public static FakeStripe get() {
    FakeStripe current = instance;
    if (current == null) {
      throw new IllegalStateException("FakeStripe is not started as a QuarkusTestResource");
    }
    return current;
  }

  // ------------------------------------------------------------------ test controls

  /** Every matching request fails with Stripe's error until the returned handle is closed. */
  public AutoCloseable fail(
      String method, String pathPrefix, int status, String type, String code) {
    Fault fault = new Fault(method, pathPrefix, status, type, code, null);
    faults.add(fault);
    return () -> faults.remove(fault);
  }

  /**
   * Every matching request waits {@code delay} before it is handled (and then is handled, as a slow
   * Stripe would), until the returned handle is closed.
   */
  public AutoCloseable delay(String method, String pathPrefix, Duration delay) {
    Fault fault = new Fault(method, pathPrefix, 0, null, null, delay);
    faults.add(fault);
    return () -> faults.remove(fault);
  }

  public List<Request> requests(String method, String pathPrefix) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix))
        .toList();
  }

  public Map<String, Object> customer(String id) {
    synchronized (lock) {
      Map<String, Object> c = customers.get(id);
      return c == null ? null : new LinkedHashMap<>(c);
    }
  }

  /** The live customer of a user (by the metadata payment-service sets), or null. */
  public String customerOf(String clientId, String userId) {
    synchronized (lock) {
      return customers.values().stream()
          .filter(c -> !Boolean.TRUE.equals(c.get("deleted")))
          .filter(
              c ->
                  clientId.equals(metadata(c).get("client_id"))
                      && userId.equals(metadata(c).get("user_id")))
          .map(c -> (String) c.get("id"))
          .findFirst()
          .orElse(null);
    }
  }

  /** The charges made on a customer, newest first (declined ones included). */
  public List<Map<String, Object>> chargesOf(String customerId) {
    synchronized (lock) {
      return charges.values().stream()
          .filter(c -> customerId.equals(c.get("customer")))
          .sorted(byCreatedDesc())
          .map(c -> (Map<String, Object>) new LinkedHashMap<>(c))
          .toList();
    }
  }

  public long cardCount(String customerId) {
    synchronized (lock) {
      return cards.values().stream().filter(c -> customerId.equals(c.get("customer"))).count();
    }
  }

  public Map<String, Object> charge(String id) {
    synchronized (lock) {
      Map<String, Object> c = charges.get(id);
      return c == null ? null : new LinkedHashMap<>(c);
    }
  }

  public Map<String, Object> subscription(String id) {
    synchronized (lock) {
      Map<String, Object> s = subscriptions.get(id);
      return s == null ? null : new LinkedHashMap<>(s);
    }
  }

  /**
   * Changes a charge as Stripe would on its own (a dashboard refund, a dispute) and answers the new
   * object, for webhook tests.
   */
  public Map<String, Object> refundOutsideTheApi(String chargeId) {
    synchronized (lock) {
      Map<String, Object> charge = charges.get(chargeId);
      charge.put("amount_refunded", charge.get("amount"));
      charge.put("refunded", true);
      return new LinkedHashMap<>(charge);
    }
  }

  /** Stripe's event envelope around {@code object}, as its webhooks deliver it. */
  public static String event(String id, String type, Map<String, Object> object, Instant created) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", id);
    event.put("object", "event");
    event.put("api_version", Stripe.API_VERSION);
    event.put("created", created.getEpochSecond());
    event.put("data", Map.of("object", object));
    event.put("livemode", false);
    event.put("pending_webhooks", 1);
    event.put("type", type);
    return json(event);
  }

  // ------------------------------------------------------------------ HTTP

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    Map<String, Object> params = parseForm(method.equals("POST") ? body : query);
    Answer answer;
    boolean replayed = false;
    try {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (!("Bearer " + SECRET_KEY).equals(auth)) {
        throw new StripeError(
            401, "invalid_request_error", null, null, "Invalid API Key provided: sk_test_****");
      }
      for (Fault fault : faults) {
        if (fault.matches(method, path) && fault.delay() != null) {
          sleep(fault.delay());
        }
      }
      for (Fault fault : faults) {
        if (fault.matches(method, path) && fault.delay() == null) {
          throw new StripeError(
              fault.status(), fault.type(), fault.code(), null, "Injected " + fault.type());
        }
      }
      synchronized (lock) {
        String fingerprint = method + ' ' + path + '\n' + canonical(params);
        Stored stored = key == null || !method.equals("POST") ? null : idempotent.get(key);
        if (stored != null) {
          if (!stored.fingerprint().equals(fingerprint)) {
            throw new StripeError(
                400,
                "idempotency_error",
                null,
                null,
                "Keys for idempotent requests can only be used with the same parameters they"
                    + " were first used with.");
          }
          replayed = true;
          answer = new Answer(stored.status(), null);
          requests.add(new Request(method, path, params, key, true, stored.status()));
          respond(exchange, stored.status(), stored.body(), true);
          return;
        }
        try {
          answer = route(method, path, params);
        } catch (StripeError e) {
          // Stripe keeps the answer of a request that ran, declines included.
          if (key != null && method.equals("POST") && e.status == 402) {
            idempotent.put(key, new Stored(fingerprint, e.status, errorBody(e)));
          }
          throw e;
        }
        if (key != null && method.equals("POST")) {
          idempotent.put(key, new Stored(fingerprint, answer.status(), json(answer.body())));
        }
      }
    } catch (StripeError e) {
      requests.add(new Request(method, path, params, key, false, e.status));
      respond(exchange, e.status, errorBody(e), false);
      return;
    } catch (RuntimeException e) {
      requests.add(new Request(method, path, params, key, false, 500));
      respond(
          exchange,
          500,
          json(Map.of("error", Map.of("type", "api_error", "message", "Fake failure: " + e))),
          false);
      return;
    }
    requests.add(new Request(method, path, params, key, replayed, answer.status()));
    respond(exchange, answer.status(), json(answer.body()), false);
  }

  private static void respond(HttpExchange exchange, int status, String body, boolean replayed)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("Request-Id", "req_" + shortId());
    if (replayed) {
      exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
    }
    // Stripe tells its clients not to retry what a retry could not change.
    if (status == 400 || status == 402 || status == 404) {
      exchange.getResponseHeaders().add("Stripe-Should-Retry", "false");
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String errorBody(StripeError e) {
    return json(Map.of("error", e.error));
  }

  // ------------------------------------------------------------------ routes

  private static final Pattern CUSTOMER = Pattern.compile("^/v1/customers/([^/]+)$");
  private static final Pattern SOURCES = Pattern.compile("^/v1/customers/([^/]+)/sources$");
  private static final Pattern SOURCE = Pattern.compile("^/v1/customers/([^/]+)/sources/([^/]+)$");
  private static final Pattern CHARGE = Pattern.compile("^/v1/charges/([^/]+)$");
  private static final Pattern CHARGE_REFUND = Pattern.compile("^/v1/charges/([^/]+)/refund$");
  private static final Pattern SUBSCRIPTION = Pattern.compile("^/v1/subscriptions/([^/]+)$");

  private Answer route(String method, String path, Map<String, Object> p) {
    Matcher m;
    if (path.equals("/v1/customers") && method.equals("POST")) {
      return ok(createCustomer(p));
    }
    if ((m = CUSTOMER.matcher(path)).matches()) {
      return switch (method) {
        case "GET" -> ok(retrieveCustomer(m.group(1)));
        case "POST" -> ok(updateCustomer(m.group(1), p));
        case "DELETE" -> ok(deleteCustomer(m.group(1)));
        default -> throw unknownRoute(method, path);
      };
    }
    if ((m = SOURCES.matcher(path)).matches()) {
      return switch (method) {
        case "POST" -> ok(attach(m.group(1), (String) p.get("source")));
        case "GET" -> ok(list("/v1/customers/" + m.group(1) + "/sources", cardsOf(m.group(1))));
        default -> throw unknownRoute(method, path);
      };
    }
    if ((m = SOURCE.matcher(path)).matches()) {
      Map<String, Object> card = cardOf(m.group(1), m.group(2));
      return switch (method) {
        case "GET" -> ok(card);
        case "POST" -> ok(updateCard(card, p));
        case "DELETE" -> ok(deleteCard(m.group(1), card));
        default -> throw unknownRoute(method, path);
      };
    }
    if (path.equals("/v1/charges")) {
      return switch (method) {
        case "POST" -> ok(createCharge(p));
        case "GET" ->
            ok(
                list(
                    "/v1/charges",
                    charges.values().stream()
                        .filter(
                            c ->
                                p.get("customer") == null
                                    || p.get("customer").equals(c.get("customer")))
                        .sorted(byCreatedDesc())
                        .toList()));
        default -> throw unknownRoute(method, path);
      };
    }
    if ((m = CHARGE_REFUND.matcher(path)).matches() && method.equals("POST")) {
      refund(m.group(1), p.get("amount"));
      return ok(charges.get(m.group(1)));
    }
    if ((m = CHARGE.matcher(path)).matches() && method.equals("GET")) {
      return ok(found(charges, m.group(1), "charge"));
    }
    if (path.equals("/v1/refunds") && method.equals("POST")) {
      return ok(refund((String) p.get("charge"), p.get("amount")));
    }
    if (path.equals("/v1/subscriptions")) {
      return switch (method) {
        case "POST" -> ok(createSubscription(p));
        case "GET" ->
            ok(
                list(
                    "/v1/subscriptions",
                    subscriptions.values().stream()
                        .filter(
                            s ->
                                p.get("customer") == null
                                    || p.get("customer").equals(s.get("customer")))
                        .filter(
                            s -> p.get("status") == null || p.get("status").equals(s.get("status")))
                        .sorted(byCreatedDesc())
                        .toList()));
        default -> throw unknownRoute(method, path);
      };
    }
    if ((m = SUBSCRIPTION.matcher(path)).matches()) {
      Map<String, Object> s = found(subscriptions, m.group(1), "subscription");
      return switch (method) {
        case "GET" -> ok(s);
        case "DELETE" -> ok(cancel(s));
        default -> throw unknownRoute(method, path);
      };
    }
    throw unknownRoute(method, path);
  }

  private Map<String, Object> createCustomer(Map<String, Object> p) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", "cus_" + shortId());
    c.put("object", "customer");
    c.put("created", now());
    c.put("default_source", null);
    c.put("description", p.get("description"));
    c.put("email", p.get("email"));
    c.put("livemode", false);
    c.put("metadata", new LinkedHashMap<>(mapOf(p.get("metadata"))));
    customers.put((String) c.get("id"), c);
    return c;
  }

  private Map<String, Object> retrieveCustomer(String id) {
    Map<String, Object> c = found(customers, id, "customer");
    if (Boolean.TRUE.equals(c.get("deleted"))) {
      return Map.of("id", id, "object", "customer", "deleted", true);
    }
    return c;
  }

  private Map<String, Object> liveCustomer(String id, String param) {
    Map<String, Object> c = customers.get(id);
    if (c == null || Boolean.TRUE.equals(c.get("deleted"))) {
      throw new StripeError(
          404,
          "invalid_request_error",
          "resource_missing",
          param,
          "No such customer: '" + id + "'");
    }
    return c;
  }

  private Map<String, Object> updateCustomer(String id, Map<String, Object> p) {
    Map<String, Object> c = liveCustomer(id, "id");
    if (p.containsKey("default_source")) {
      String source = (String) p.get("default_source");
      if (!cards.containsKey(source) || !id.equals(cards.get(source).get("customer"))) {
        throw new StripeError(
            404,
            "invalid_request_error",
            "resource_missing",
            "default_source",
            "No such source: '" + source + "'");
      }
      c.put("default_source", source);
    }
    mergeMetadata(c, p);
    return c;
  }

  private Map<String, Object> deleteCustomer(String id) {
    Map<String, Object> c = liveCustomer(id, "id");
    c.put("deleted", true);
    subscriptions.values().stream()
        .filter(s -> id.equals(s.get("customer")) && !"canceled".equals(s.get("status")))
        .forEach(this::cancel);
    return Map.of("id", id, "object", "customer", "deleted", true);
  }

  private Map<String, Object> attach(String customerId, String token) {
    Map<String, Object> customer = liveCustomer(customerId, "customer");
    if (token == null || token.isBlank()) {
      throw new StripeError(
          400,
          "invalid_request_error",
          "parameter_missing",
          "source",
          "Missing required param: source.");
    }
    String brand;
    String last4;
    String failing = null;
    switch (token) {
      case "tok_visa" -> {
        brand = "Visa";
        last4 = "4242";
      }
      case "tok_mastercard" -> {
        brand = "MasterCard";
        last4 = "4444";
      }
      case "tok_amex" -> {
        brand = "American Express";
        last4 = "8431";
      }
      case "tok_chargeCustomerFail" -> {
        brand = "Visa";
        last4 = "0341";
        failing = "card_declined";
      }
      case "tok_chargeDeclined" ->
          throw new StripeError(402, "card_error", "card_declined", null, "Your card was declined.")
              .with("decline_code", "generic_decline");
      case "tok_chargeDeclinedExpiredCard" ->
          throw new StripeError(
              402, "card_error", "expired_card", "exp_month", "Your card has expired.");
      default ->
          throw new StripeError(
              400,
              "invalid_request_error",
              "resource_missing",
              "source",
              "No such token: '" + token + "'");
    }
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("id", "card_" + shortId());
    card.put("object", "card");
    card.put("address_city", null);
    card.put("address_country", null);
    card.put("address_line1", null);
    card.put("address_zip", null);
    card.put("brand", brand);
    card.put("country", "US");
    card.put("customer", customerId);
    card.put("exp_month", 12);
    card.put("exp_year", java.time.Year.now().getValue() + 3);
    card.put("fingerprint", shortId());
    card.put("funding", "credit");
    card.put("last4", last4);
    card.put("metadata", new LinkedHashMap<>());
    card.put("created_seq", System.nanoTime());
    cards.put((String) card.get("id"), card);
    if (failing != null) {
      failingCards.put((String) card.get("id"), failing);
    }
    if (customer.get("default_source") == null) {
      customer.put("default_source", card.get("id"));
    }
    return publicCard(card);
  }

  private List<Map<String, Object>> cardsOf(String customerId) {
    liveCustomer(customerId, "customer");
    return cards.values().stream()
        .filter(c -> customerId.equals(c.get("customer")))
        .sorted(Comparator.comparingLong(c -> -((Number) c.get("created_seq")).longValue()))
        .map(FakeStripe::publicCard)
        .toList();
  }

  private Map<String, Object> cardOf(String customerId, String cardId) {
    liveCustomer(customerId, "customer");
    Map<String, Object> card = cards.get(cardId);
    if (card == null || !customerId.equals(card.get("customer"))) {
      throw new StripeError(
          404,
          "invalid_request_error",
          "resource_missing",
          "id",
          "No such source: '" + cardId + "'");
    }
    return card;
  }

  private Map<String, Object> updateCard(Map<String, Object> card, Map<String, Object> p) {
    for (String field :
        List.of("address_line1", "address_city", "address_zip", "address_country", "name")) {
      if (p.containsKey(field)) {
        String value = (String) p.get(field);
        card.put(field, value == null || value.isEmpty() ? null : value);
      }
    }
    mergeMetadata(card, p);
    return publicCard(card);
  }

  private Map<String, Object> deleteCard(String customerId, Map<String, Object> card) {
    String id = (String) card.get("id");
    cards.remove(id);
    Map<String, Object> customer = customers.get(customerId);
    if (id.equals(customer.get("default_source"))) {
      // As Stripe: the most recently added remaining source becomes the default.
      customer.put(
          "default_source",
          cardsOf(customerId).stream().map(c -> c.get("id")).findFirst().orElse(null));
    }
    Map<String, Object> deleted = new LinkedHashMap<>();
    deleted.put("id", id);
    deleted.put("object", "card");
    deleted.put("customer", customerId);
    deleted.put("deleted", true);
    return deleted;
  }

  private Map<String, Object> createCharge(Map<String, Object> p) {
    String customerId = (String) p.get("customer");
    Map<String, Object> customer = liveCustomer(customerId, "customer");
    long amount = positive(p.get("amount"), "amount");
    String currency = (String) p.get("currency");
    if (currency == null || currency.length() != 3) {
      throw new StripeError(
          400,
          "invalid_request_error",
          "parameter_invalid_string",
          "currency",
          "Invalid currency.");
    }
    String source =
        p.get("source") != null
            ? (String) p.get("source")
            : (String) customer.get("default_source");
    if (source == null) {
      throw new StripeError(
          400, "card_error", "missing", "card", "Cannot charge a customer that has no active card");
    }
    Map<String, Object> card = cards.get(source);
    if (card == null || !customerId.equals(card.get("customer"))) {
      throw new StripeError(
          404,
          "invalid_request_error",
          "resource_missing",
          "source",
          "No such source: '" + source + "'");
    }
    Map<String, Object> charge =
        newCharge(customerId, card, amount, currency, (String) p.get("description"));
    charge.put("metadata", new LinkedHashMap<>(mapOf(p.get("metadata"))));
    String failure = failingCards.get(source);
    if (failure != null) {
      charge.put("status", "failed");
      charge.put("paid", false);
      charge.put("captured", false);
      charge.put("amount_captured", 0);
      charge.put("failure_code", failure);
      charge.put("failure_message", "Your card was declined.");
      throw new StripeError(402, "card_error", failure, null, "Your card was declined.")
          .with("decline_code", "generic_decline")
          .with("charge", charge.get("id"));
    }
    return charge;
  }

  private Map<String, Object> newCharge(
      String customerId,
      Map<String, Object> card,
      long amount,
      String currency,
      String description) {
    Map<String, Object> charge = new LinkedHashMap<>();
    charge.put("id", "ch_" + shortId());
    charge.put("object", "charge");
    charge.put("amount", amount);
    charge.put("amount_captured", amount);
    charge.put("amount_refunded", 0);
    charge.put("captured", true);
    charge.put("created", now());
    charge.put("created_seq", System.nanoTime());
    charge.put("currency", currency.toLowerCase());
    charge.put("customer", customerId);
    charge.put("description", description);
    charge.put("failure_code", null);
    charge.put("failure_message", null);
    charge.put("livemode", false);
    charge.put("metadata", new LinkedHashMap<>());
    charge.put("paid", true);
    charge.put("payment_method", card.get("id"));
    charge.put("refunded", false);
    charge.put("refunds", emptyList("/v1/charges/" + charge.get("id") + "/refunds"));
    charge.put("source", publicCard(card));
    charge.put("status", "succeeded");
    charges.put((String) charge.get("id"), charge);
    return charge;
  }

  private Map<String, Object> refund(String chargeId, Object amountParam) {
    Map<String, Object> charge = charges.get(chargeId);
    if (charge == null) {
      throw new StripeError(
          404,
          "invalid_request_error",
          "resource_missing",
          "charge",
          "No such charge: '" + chargeId + "'");
    }
    long amount = ((Number) charge.get("amount")).longValue();
    long refunded = ((Number) charge.get("amount_refunded")).longValue();
    if (!"succeeded".equals(charge.get("status")) || refunded >= amount) {
      throw new StripeError(
          400,
          "invalid_request_error",
          "charge_already_refunded",
          "charge",
          "Charge " + chargeId + " has already been refunded.");
    }
    long requested = amountParam == null ? amount - refunded : positive(amountParam, "amount");
    if (requested > amount - refunded) {
      throw new StripeError(
          400,
          "invalid_request_error",
          "amount_too_large",
          "amount",
          "Refund amount is greater than the unrefunded amount.");
    }
    charge.put("amount_refunded", refunded + requested);
    charge.put("refunded", refunded + requested >= amount);
    Map<String, Object> refund = new LinkedHashMap<>();
    refund.put("id", "re_" + shortId());
    refund.put("object", "refund");
    refund.put("amount", requested);
    refund.put("charge", chargeId);
    refund.put("created", now());
    refund.put("currency", charge.get("currency"));
    refund.put("status", "succeeded");
    return refund;
  }

  private Map<String, Object> createSubscription(Map<String, Object> p) {
    String customerId = (String) p.get("customer");
    Map<String, Object> customer = liveCustomer(customerId, "customer");
    Map<String, Object> item = mapOf(listOf(p.get("items")).stream().findFirst().orElse(null));
    String price = (String) item.get("price");
    if (price == null || !price.startsWith("price_") || price.equals("price_missing")) {
      throw new StripeError(
          400,
          "invalid_request_error",
          "resource_missing",
          "items[0][price]",
          "No such price: '" + price + "'");
    }
    long quantity =
        item.get("quantity") == null ? 1 : positive(item.get("quantity"), "items[0][quantity]");
    String source = (String) customer.get("default_source");
    if (source == null) {
      throw new StripeError(
          400,
          "invalid_request_error",
          "resource_missing",
          null,
          "This customer has no attached payment source or default payment method.");
    }
    String failure = failingCards.get(source);
    boolean errorIfIncomplete = "error_if_incomplete".equals(p.get("payment_behavior"));
    if (failure != null && errorIfIncomplete) {
      throw new StripeError(402, "card_error", failure, null, "Your card was declined.")
          .with("decline_code", "generic_decline");
    }
    long now = now();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("id", "sub_" + shortId());
    s.put("object", "subscription");
    s.put("cancel_at_period_end", false);
    s.put("canceled_at", null);
    s.put("created", now);
    s.put("created_seq", System.nanoTime());
    s.put("customer", customerId);
    s.put("ended_at", null);
    s.put("livemode", false);
    s.put("metadata", new LinkedHashMap<>(mapOf(p.get("metadata"))));
    Map<String, Object> subscriptionItem = new LinkedHashMap<>();
    subscriptionItem.put("id", "si_" + shortId());
    subscriptionItem.put("object", "subscription_item");
    subscriptionItem.put("created", now);
    subscriptionItem.put("current_period_start", now);
    subscriptionItem.put("current_period_end", now + 30L * 24 * 3600);
    subscriptionItem.put(
        "price", Map.of("id", price, "object", "price", "currency", "usd", "unit_amount", 1000));
    subscriptionItem.put("quantity", quantity);
    subscriptionItem.put("subscription", s.get("id"));
    Map<String, Object> items = emptyList("/v1/subscription_items?subscription=" + s.get("id"));
    items.put("data", List.of(subscriptionItem));
    s.put("items", items);
    if (failure == null) {
      // The first invoice is paid at once, which is a charge like any other.
      newCharge(customerId, cards.get(source), 1000 * quantity, "usd", "Subscription creation");
      s.put("status", "active");
    } else {
      s.put("status", "incomplete");
    }
    subscriptions.put((String) s.get("id"), s);
    return s;
  }

  private Map<String, Object> cancel(Map<String, Object> s) {
    if (!"canceled".equals(s.get("status"))) {
      s.put("status", "canceled");
      s.put("canceled_at", now());
      s.put("ended_at", now());
    }
    return s;
  }

  // ------------------------------------------------------------------ helpers

  private static Answer ok(Object body) {
    return new Answer(200, body);
  }

  private static StripeError unknownRoute(String method, String path) {
    return new StripeError(
        404,
        "invalid_request_error",
        null,
        null,
        "Unrecognized request URL (" + method + ": " + path + ").");
  }

  private static Map<String, Object> found(
      Map<String, Map<String, Object>> all, String id, String what) {
    Map<String, Object> object = all.get(id);
    if (object == null) {
      throw new StripeError(
          404,
          "invalid_request_error",
          "resource_missing",
          "id",
          "No such " + what + ": '" + id + "'");
    }
    return object;
  }

  private static Map<String, Object> publicCard(Map<String, Object> card) {
    Map<String, Object> copy = new LinkedHashMap<>(card);
    copy.remove("created_seq");
    return copy;
  }

  private static Map<String, Object> list(String url, List<Map<String, Object>> data) {
    Map<String, Object> list = emptyList(url);
    list.put(
        "data",
        data.stream()
            .map(
                o -> {
                  Map<String, Object> copy = new LinkedHashMap<>(o);
                  copy.remove("created_seq");
                  return copy;
                })
            .toList());
    return list;
  }

  private static Map<String, Object> emptyList(String url) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("object", "list");
    list.put("data", List.of());
    list.put("has_more", false);
    list.put("url", url);
    return list;
  }

  private static Comparator<Map<String, Object>> byCreatedDesc() {
    return Comparator.comparingLong(o -> -((Number) o.get("created_seq")).longValue());
  }

  private static void mergeMetadata(Map<String, Object> object, Map<String, Object> p) {
    if (!p.containsKey("metadata")) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> current = (Map<String, Object>) object.get("metadata");
    for (Map.Entry<String, Object> e : mapOf(p.get("metadata")).entrySet()) {
      String value = (String) e.getValue();
      if (value == null || value.isEmpty()) {
        current.remove(e.getKey());
      } else {
        current.put(e.getKey(), value);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    Object m = object.get("metadata");
    return m instanceof Map ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapOf(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> listOf(Object value) {
    if (value instanceof List) {
      return (List<Object>) value;
    }
    return List.of();
  }

  private static long positive(Object value, String param) {
    try {
      long n = Long.parseLong(String.valueOf(value));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to Stripe's error
    }
    throw new StripeError(
        400,
        "invalid_request_error",
        "parameter_invalid_integer",
        param,
        "Invalid integer: " + value);
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static String shortId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stripe's form encoding: {@code a[b][c]=v} nests maps, {@code a[0][b]=v} and {@code a[]=v} make
   * lists.
   */
  static Map<String, Object> parseForm(String encoded) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return root;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      List<String> keys = new ArrayList<>();
      int bracket = name.indexOf('[');
      keys.add(bracket < 0 ? name : name.substring(0, bracket));
      Matcher m = Pattern.compile("\\[([^\\]]*)\\]").matcher(name);
      while (m.find()) {
        keys.add(m.group(1));
      }
      insert(root, keys, value);
    }
    return listify(root);
  }

  @SuppressWarnings("unchecked")
  private static void insert(Map<String, Object> node, List<String> keys, String value) {
    Map<String, Object> current = node;
    for (int i = 0; i < keys.size() - 1; i++) {
      String key = keys.get(i);
      Object next = current.get(key);
      if (!(next instanceof Map)) {
        next = new LinkedHashMap<String, Object>();
        current.put(key, next);
      }
      current = (Map<String, Object>) next;
    }
    String last = keys.get(keys.size() - 1);
    if (last.isEmpty()) {
      last = String.valueOf(current.size());
    }
    current.put(last, value);
  }

  /** Maps whose keys are all 0..n-1 become lists. */
  @SuppressWarnings("unchecked")
  private static <T> T listify(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> converted = new LinkedHashMap<>();
      map.forEach((k, v) -> converted.put((String) k, listify(v)));
      boolean numeric =
          !converted.isEmpty() && converted.keySet().stream().allMatch(k -> k.matches("\\d+"));
      if (numeric) {
        TreeMap<Integer, Object> ordered = new TreeMap<>();
        converted.forEach((k, v) -> ordered.put(Integer.parseInt(k), v));
        return (T) new ArrayList<>(ordered.values());
      }
      return (T) converted;
    }
    return (T) node;
  }

  private static String canonical(Map<String, Object> params) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(json(new TreeMap<>(params)).getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
