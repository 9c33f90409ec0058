package com.rewards.payment.stripe;

import com.stripe.exception.StripeException;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpURLConnectionClient;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import io.vertx.core.Context;
import java.util.concurrent.atomic.AtomicLong;

/**
 * stripe-java's blocking HTTP client, refusing to run on a Vert.x event-loop thread: a Stripe call
 * there would stall every request sharing that loop for up to the read timeout. Any code path that
 * forgets the worker pool fails loudly here instead of degrading quietly under load.
 */
public final class EventLoopGuardedHttpClient extends HttpClient {
  private static final AtomicLong REFUSED = new AtomicLong();
  private static final AtomicLong SENT = new AtomicLong();
  private final HttpURLConnectionClient delegate = new HttpURLConnectionClient();

  @Override
  public StripeResponse request(StripeRequest request) throws StripeException {
    if (Context.isOnEventLoopThread()) {
      REFUSED.incrementAndGet();
      throw new IllegalStateException("A Stripe call must not run on an event-loop thread");
    }
    SENT.incrementAndGet();
    return delegate.request(request);
  }

  /** How many calls were refused for running on an event loop (tests expect none). */
  public static long refused() {
    return REFUSED.get();
  }

  /** How many calls went out from a thread allowed to block. */
  public static long sent() {
    return SENT.get();
  }
}
