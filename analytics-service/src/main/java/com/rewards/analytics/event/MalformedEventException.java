package com.rewards.analytics.event;

/** A consumed record this service cannot read; the message is the reason put on the DLQ. */
public class MalformedEventException extends RuntimeException {
  public MalformedEventException(String reason) {
    super(reason, null, false, false);
  }
}
