package com.rewards.platform.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * CloudEvents 1.0 in structured JSON mode: the value of every record on every topic. {@code time}
 * is an RFC 3339 string so consumers in any language read it without a date library.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
    String specversion,
    String id,
    String source,
    String type,
    String time,
    String subject,
    String datacontenttype,
    String partnerid,
    JsonNode data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/cloudevents+json";
}
