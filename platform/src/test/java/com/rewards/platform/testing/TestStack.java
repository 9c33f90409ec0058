package com.rewards.platform.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real PostgreSQL and Kafka that {@code dev/stack} starts, and control over the broker for
 * tests that prove nothing is lost while it is down.
 */
public final class TestStack {
  private TestStack() {}

  public static String kafkaBootstrap() {
    return System.getenv().getOrDefault("KAFKA_BOOTSTRAP", "127.0.0.1:19092");
  }

  public static void stopKafka() {
    stack("kafka-stop");
  }

  public static void startKafka() {
    stack("kafka-start");
  }

  private static void stack(String command) {
    Path script = repoRoot().resolve("dev/stack");
    try {
      Process process = new ProcessBuilder("bash", script.toString(), command).inheritIO().start();
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("dev/stack " + command + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("dev/stack"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("dev/stack not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
