package com.rewards.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 12, run last (classes run in name order, see junit-platform.properties): the logs
 * of the running suite hold no token, secret, API key or password. Two nets: patterns (JWTs, bearer
 * credentials, Stripe secret keys, password/secret fields) and the exact secrets the other tests
 * created or received ({@link Secrets}), searched for literally.
 *
 * <p>The logs are those of the suite under test: env LOG_DIR, else {@code <repo>/.stack/logs}.
 */
class ZzLogScanTest {
  @RegisterExtension final Figures figures = new Figures();

  /** What must never be in a log, with its name for the report. */
  private static final List<Pattern> PATTERNS =
      List.of(
          // A JWT: base64url JSON header and payload.
          Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}(\\.[A-Za-z0-9_-]*)?"),
          Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/-]{20,}=*"),
          Pattern.compile("(?i)\\bbasic\\s+[A-Za-z0-9+/]{20,}=*"),
          Pattern.compile("\\b(sk|rk)_(test|live)_[A-Za-z0-9_]{8,}"),
          Pattern.compile("whsec_[A-Za-z0-9_]{8,}"),
          // A password, secret or key given a value ("password":"x", client_secret=x, ...).
          Pattern.compile(
              "(?i)\"?(password|new_password|old_password|client_secret|clientSecret|api_key"
                  + "|apiKey|secret)\"?\\s*[:=]\\s*\"?[^\\s\",}*]{6,}"));

  /** The Stripe stand-in's log: see {@link #theStripeStandInsLogHoldsNoSecret()}. */
  private static final String FAKE_STRIPE_LOG = "fake-stripe.log";

  @Test
  void theLogsHoldNoSecretAfterTheWholeRun() throws IOException {
    scan("log scan after the run", file -> !file.getFileName().toString().equals(FAKE_STRIPE_LOG));
  }

  @Test
  void theStripeStandInsLogHoldsNoSecret() throws IOException {
    scan(
        "log scan of the Stripe stand-in",
        file -> file.getFileName().toString().equals(FAKE_STRIPE_LOG));
  }

  private void scan(String what, Predicate<Path> which) throws IOException {
    Path dir =
        Path.of(
            System.getenv()
                .getOrDefault("LOG_DIR", Suite.repo().resolve(".stack/logs").toString()));
    figures.item("12", what + " (" + dir + ")");
    Assumptions.assumeTrue(Files.isDirectory(dir), "no log directory " + dir);
    List<String> secrets = Secrets.all();
    List<String> findings = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).filter(which).sorted().toList();
    }
    long lines = 0;
    for (Path file : files) {
      List<String> content;
      try {
        content =
            List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
      } catch (IOException e) {
        continue; // rotated away while reading
      }
      for (int i = 0; i < content.size(); i++) {
        String line = content.get(i);
        lines++;
        for (Pattern pattern : PATTERNS) {
          Matcher m = pattern.matcher(line);
          if (m.find()) {
            findings.add(where(dir, file, i) + " matches " + pattern + ": " + masked(m.group()));
          }
        }
        for (String secret : secrets) {
          if (line.contains(secret)) {
            findings.add(where(dir, file, i) + " holds a secret the tests used: " + masked(secret));
          }
        }
      }
      figures.succeeded();
    }
    figures.lost(findings.size());
    assertTrue(files.size() > 0, "no log files in " + dir);
    assertTrue(
        findings.isEmpty(),
        findings.size()
            + " finding(s) in "
            + files.size()
            + " files / "
            + lines
            + " lines, "
            + secrets.size()
            + " known secrets:\n"
            + String.join("\n", findings.subList(0, Math.min(40, findings.size()))));
  }

  private static String where(Path dir, Path file, int line) {
    return dir.relativize(file) + ":" + (line + 1);
  }

  /** Enough to find it again, not enough to use it. */
  private static String masked(String s) {
    return s.length() <= 10 ? "***" : s.substring(0, 6) + "…(" + s.length() + " chars)";
  }
}
