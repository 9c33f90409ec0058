package com.rewards.platform.testing;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Validates an event a service produced against its JSON Schema in {@code docs/events/schemas}. */
public final class EventSchemas {
  private EventSchemas() {}

  public static void assertValid(String eventJson) {
    JsonObject event = new JsonObject(eventJson);
    String type = event.getString("type");
    Path schemaFile = TestStack.repoRoot().resolve("docs/events/schemas/" + type + ".json");
    if (!Files.exists(schemaFile)) {
      throw new AssertionError("No JSON Schema for event type " + type + " at " + schemaFile);
    }
    try {
      Validator validator =
          Validator.create(
              JsonSchema.of(new JsonObject(Files.readString(schemaFile))),
              new JsonSchemaOptions()
                  .setDraft(Draft.DRAFT202012)
                  .setBaseUri("https://rewards.local/schemas/"));
      OutputUnit result = validator.validate(event);
      if (!result.getValid()) {
        throw new AssertionError(
            "Event "
                + type
                + " does not match its schema: "
                + result.getErrors()
                + "\n"
                + eventJson);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
