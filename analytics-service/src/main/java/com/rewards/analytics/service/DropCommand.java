package com.rewards.analytics.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One validated drop: the app's event id and flat attributes, and the optional client fields. */
public record DropCommand(
    String eventId, ObjectNode attributes, String clientEventId, Instant clientTime) {}
