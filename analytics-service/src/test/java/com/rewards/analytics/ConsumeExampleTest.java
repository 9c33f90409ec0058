package com.rewards.analytics;

import static com.rewards.analytics.AnalyticsFixtures.newClientId;
import static com.rewards.analytics.AnalyticsFixtures.newUserId;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rewards.platform.testing.EventSchemas;
import com.rewards.platform.testing.TestStack;
import com.rewards.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The consumer example of {@code docs/events/examples} works: it reads a drop made here, keyed by
 * the user, with a value that matches the event's schema.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ConsumeExampleTest {

  @Test
  void theExampleConsumerPrintsADropWithItsKeyAndEnvelope() throws Exception {
    String c = newClientId();
    String u = newUserId();
    String key = c + "___" + u;
    given()
        .header("user-jwt-token", TestTokens.user(c, u))
        .contentType(ContentType.JSON)
        .body(Map.of("screen", "home"))
        .post("/fe/analytics/px-tracker/events/app_open/drop")
        .then()
        .statusCode(200);

    Path script = TestStack.repoRoot().resolve("docs/events/examples/consume.sh");
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                script.toString(),
                "--topics",
                "analytics\\.px-events\\.v1",
                "--timeout-ms",
                "30000")
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("KAFKA_BOOTSTRAP", TestStack.kafkaBootstrap());
    Process process = builder.start();
    String found = null;
    try (var out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.contains(key)) {
          found = line;
          break;
        }
      }
    } finally {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    assertNotNull(found, "the example consumer printed the drop");
    String[] fields = found.split("\t");
    assertEquals(6, fields.length, found);
    assertEquals("content-type:application/cloudevents+json", fields[3]);
    assertEquals(key, fields[4]);
    EventSchemas.assertValid(fields[5]);
  }
}
