import com.rewards.payment.FakeStripe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Runs payment-service's test FakeStripe (a Stripe-compatible server) on its own, for dev/run and
 * bench/ledger: payment-service talks to it with the real stripe-java client. Writes its base URL,
 * secret key and webhook signing secret as STRIPE_* lines to the file given as the argument (mode
 * 0600, never to the log), then serves until killed. State lives in memory only.
 */
public class FakeStripeMain {
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: FakeStripeMain <env file to write>");
    }
    FakeStripe stripe = new FakeStripe();
    stripe.startServer();
    Path target = Path.of(args[0]);
    Path tmp =
        Files.createTempFile(
            target.toAbsolutePath().getParent(),
            ".fake-stripe",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        tmp,
        "STRIPE_API_BASE="
            + stripe.baseUrl()
            + "\nSTRIPE_SECRET_KEY="
            + FakeStripe.SECRET_KEY
            + "\nSTRIPE_WEBHOOK_SECRET="
            + FakeStripe.WEBHOOK_SECRET
            + "\n");
    // Readers wait for the file: it appears whole or not at all.
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("FakeStripe listening on " + stripe.baseUrl());
    System.out.flush();
    Thread.currentThread().join();
  }
}
