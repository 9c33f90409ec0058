package com.rewards.suite;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Where the running suite is (dev/run) and how to reach it: the gateway, the operator key of the
 * admin API, Kafka and the services' databases. Every value has an environment override so the
 * suite tests can run against a suite on other ports.
 */
public final class Suite {
  public static final String GATEWAY = env("GATEWAY", "http://127.0.0.1:8080");
  public static final String OPERATOR_KEY = env("OPERATOR_KEY", "dev-operator-key");
  public static final String KAFKA_BOOTSTRAP = env("KAFKA_BOOTSTRAP", "127.0.0.1:19092");
  public static final String PG_HOST = env("PG_HOST", "127.0.0.1");
  public static final String PG_PORT = env("PG_PORT", "15432");

  /** Ports of the services behind the gateway, as dev/run starts them. */
  public static final Map<String, Integer> SERVICE_PORTS =
      Map.of(
          "auth-service", 8081,
          "loyalty-service", 8082,
          "referral-service", 8083,
          "payment-service", 8084,
          "analytics-service", 8085);

  /** A second instance of a service ({@code dev/run scale <service> 2}) listens on port + this. */
  public static final int SECOND_INSTANCE_OFFSET = 10;

  private Suite() {}

  /** The repository checkout (for dev/run, dev/stack and .stack/logs). */
  public static Path repo() {
    return Path.of(System.getProperty("rewards.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** A request through the gateway. */
  public static RequestSpecification gateway() {
    return given().baseUri(GATEWAY).contentType(ContentType.JSON);
  }

  /** A request straight to one service, bypassing the gateway. */
  public static RequestSpecification direct(String service) {
    return given()
        .baseUri("http://127.0.0.1:" + SERVICE_PORTS.get(service))
        .contentType(ContentType.JSON);
  }

  /**
   * A connection to one service's own database (dev/stack: role = password = database name), to
   * check what a service stored, never to arrange state behind its back.
   */
  public static Connection database(String name) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + name, name, name);
  }

  /** A fresh id, so that tests can run again and again against the same suite. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  /**
   * Runs one of the repository's dev scripts (dev/stack, dev/run) as an operator would, e.g. to
   * stop the broker or restart a service; fails the test when it fails.
   */
  public static void script(String... command) throws IOException, InterruptedException {
    List<String> args = new java.util.ArrayList<>(List.of(command));
    args.set(0, repo().resolve(command[0]).toString());
    Process process =
        new ProcessBuilder(args)
            .directory(repo().toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    repo().resolve(".stack/logs/suite-scripts.log").toFile()))
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command) + " failed: see .stack/logs/suite-scripts.log");
    }
  }

  /** The pid of a service dev/run started (its pid file). */
  public static long pidOf(String service) throws IOException {
    return Long.parseLong(Files.readString(repo().resolve(".stack/" + service + ".pid")).trim());
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
