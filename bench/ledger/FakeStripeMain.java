import com.rewards.payment.FakeStripe;

/**
 * Runs payment-service's test FakeStripe (a Stripe-compatible server) on its own for bench/ledger.
 * Prints its base URL and secret key, then serves until killed.
 */
public class FakeStripeMain {
  public static void main(String[] args) throws Exception {
    FakeStripe stripe = new FakeStripe();
    stripe.startServer();
    System.out.println("FAKE_STRIPE_URL=" + stripe.baseUrl());
    System.out.println("FAKE_STRIPE_SECRET_KEY=" + FakeStripe.SECRET_KEY);
    System.out.flush();
    Thread.currentThread().join();
  }
}
