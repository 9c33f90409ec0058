package com.rewards.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The figures of one reliability/security test: requests sent, succeeded, refused (by status) and
 * lost. Registered per test instance ({@code @RegisterExtension}); after each test it appends one
 * row to {@code target/reliability-figures.md} with the test's outcome, so a run leaves a table
 * (RELIABILITY.md quotes it). The first row of a JVM starts the file afresh.
 */
final class Figures implements AfterEachCallback {
  static final Path FILE = Path.of("target", "reliability-figures.md");
  private static boolean started;

  private String item = "?";
  private String what = "";
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger succeeded = new AtomicInteger();
  private final AtomicInteger lost = new AtomicInteger();
  private final Map<String, AtomicInteger> refused = new TreeMap<>();

  /** Names the row: the item of issue 10 and what the test proves. */
  Figures item(String item, String what) {
    this.item = item;
    this.what = what;
    return this;
  }

  /** A request answered as the test expected it to succeed. */
  void succeeded() {
    sent.incrementAndGet();
    succeeded.incrementAndGet();
  }

  /** A request refused as expected, by its status (and code, when the test knows it). */
  synchronized void refused(String how) {
    sent.incrementAndGet();
    refused.computeIfAbsent(how, k -> new AtomicInteger()).incrementAndGet();
  }

  void refused(int status) {
    refused(String.valueOf(status));
  }

  /** A write whose effect went missing or was applied twice, or a request with no answer. */
  void lost(int n) {
    lost.addAndGet(n);
  }

  int sent() {
    return sent.get();
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    String result =
        context.getExecutionException().isPresent()
            ? "FAIL: " + oneLine(context.getExecutionException().get().getMessage())
            : "pass";
    String refusedText;
    synchronized (this) {
      refusedText =
          refused.isEmpty()
              ? "0"
              : refused.entrySet().stream()
                  .map(e -> e.getValue().get() + "×" + e.getKey())
                  .collect(Collectors.joining(", "));
    }
    String row =
        "| "
            + item
            + " | "
            + what
            + " (`"
            + context.getRequiredTestClass().getSimpleName()
            + "."
            + context.getRequiredTestMethod().getName()
            + "`) | "
            + sent.get()
            + " | "
            + succeeded.get()
            + " | "
            + refusedText
            + " | "
            + lost.get()
            + " | "
            + result
            + " |\n";
    write(row);
  }

  /**
   * One row written directly, for tests that count on their own (the lead's process-failure tests):
   * call it once the test's assertions passed.
   */
  static void record(
      String item, String what, long sent, long succeeded, long refused, long lost, String result) {
    try {
      write(
          "| " + item + " | " + what + " | " + sent + " | " + succeeded + " | " + refused + " | "
              + lost + " | " + result + " |\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static synchronized void write(String row) throws IOException {
    Files.createDirectories(FILE.getParent());
    if (!started) {
      started = true;
      Files.writeString(
          FILE,
          "| item | what (test) | sent | succeeded | refused | lost | result |\n"
              + "|---|---|---|---|---|---|---|\n",
          StandardCharsets.UTF_8);
    }
    Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.replace('\n', ' ').replace('|', '/');
    return line.length() > 160 ? line.substring(0, 160) + "…" : line;
  }
}
