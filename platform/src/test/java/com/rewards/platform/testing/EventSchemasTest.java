package com.rewards.platform.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The schema check must be able to fail, or the services' schema tests prove nothing. */
class EventSchemasTest {
  private static final String VALID =
      """
      {"specversion":"1.0","id":"6f1c1d0e-8f5a-4a51-9d1e-0d1b8f0e7c11","source":"/rewards/auth-service",
       "type":"auth.user.deleted.v1","time":"2026-11-23T10:00:00Z","subject":"c___u",
       "datacontenttype":"application/json","partnerid":"c",
       "data":{"client_id":"c","user_id":"u","namespaced_user_id":"c___u","occurred_at":"2026-11-23T10:00:00Z"}}
      """;

  @Test
  void acceptsAConformingEvent() {
    assertDoesNotThrow(() -> EventSchemas.assertValid(VALID));
  }

  @Test
  void refusesAMissingFieldAnExtraFieldAndAnUnknownType() {
    assertThrows(
        AssertionError.class,
        () -> EventSchemas.assertValid(VALID.replace("\"user_id\":\"u\",", "")));
    assertThrows(
        AssertionError.class,
        () ->
            EventSchemas.assertValid(VALID.replace("\"data\":{", "\"data\":{\"password\":\"x\",")));
    assertThrows(
        AssertionError.class,
        () -> EventSchemas.assertValid(VALID.replace("auth.user.deleted.v1", "auth.user.nope.v1")));
  }

  @Test
  void asyncApiNamesEverySchemaAndEverySchemaExists() throws Exception {
    java.nio.file.Path events = TestStack.repoRoot().resolve("docs/events");
    String asyncApi = java.nio.file.Files.readString(events.resolve("asyncapi.yaml"));
    try (var files = java.nio.file.Files.list(events.resolve("schemas"))) {
      for (java.nio.file.Path schema : files.toList()) {
        String name = schema.getFileName().toString();
        org.junit.jupiter.api.Assertions.assertTrue(
            asyncApi.contains("'schemas/" + name + "'"), name + " is not in asyncapi.yaml");
      }
    }
    var refs = java.util.regex.Pattern.compile("'schemas/([^']+)'").matcher(asyncApi);
    while (refs.find()) {
      org.junit.jupiter.api.Assertions.assertTrue(
          java.nio.file.Files.exists(events.resolve("schemas").resolve(refs.group(1))),
          refs.group(1) + " is named in asyncapi.yaml but missing");
    }
  }
}
