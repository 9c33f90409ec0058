import com.rewards.payment.FakeStripe;

/**
 * Runs payment-service's test FakeStripe (a Stripe-compatible server) on its own, for dev/run and
 * bench/ledger: payment-service talks to it with the real stripe-java client. Prints its base URL,
 * secret key and webhook signing secret, then serves until killed. State lives in memory only.
 */
public class FakeStripeMain {
  public static void main(String[] args) throws Exception {
    FakeStripe stripe = new FakeStripe();
    stripe.startServer();
    System.out.println("FAKE_STRIPE_URL=" + stripe.baseUrl());
    System.out.println("FAKE_STRIPE_WEBHOOK_SECRET=" + FakeStripe.WEBHOOK_SECRET);
    System.out.println("FAKE_STRIPE_SECRET_KEY=" + FakeStripe.SECRET_KEY);
    System.out.flush();
    Thread.currentThread().join();
  }
}
