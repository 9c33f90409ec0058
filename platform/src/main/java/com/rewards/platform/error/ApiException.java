package com.rewards.platform.error;

/**
 * A failure the client can act on: carries the HTTP status and the stable machine {@code code} that
 * ends up in the problem+json body. The message is shown to the client, so it must never contain
 * secrets, SQL or class names.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final Long retryAfterSeconds;
  private final String field;

  public ApiException(int status, String code, String message) {
    this(status, code, message, null, null);
  }

  private ApiException(
      int status, String code, String message, Long retryAfterSeconds, String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.field = field;
  }

  /**
   * 400 {@code BAD_REQUEST} naming the body field at fault, in the same {@code errors[]} shape as a
   * Bean Validation failure, for checks only a service can make (e.g. what a host resolves to).
   */
  public static ApiException invalidField(String field, String message) {
    return new ApiException(400, "BAD_REQUEST", message, null, field);
  }

  /** 429 (or 503) with a {@code Retry-After} header. */
  public static ApiException tooManyRequests(String code, String message, long retryAfterSeconds) {
    return new ApiException(429, code, message, retryAfterSeconds, null);
  }

  public static ApiException unavailable(String code, String message, long retryAfterSeconds) {
    return new ApiException(503, code, message, retryAfterSeconds, null);
  }

  /** Seconds a client should wait before retrying, or null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The body field at fault, or null. */
  public String field() {
    return field;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BAD_REQUEST", message);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, "UNAUTHORIZED", message);
  }

  public static ApiException forbidden(String code, String message) {
    return new ApiException(403, code, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "RECORD_NOT_FOUND", message);
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }
}
