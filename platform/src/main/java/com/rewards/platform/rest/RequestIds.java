package com.rewards.platform.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Carries the gateway's {@code X-Request-Id} (or a new one) through the request: into every log
 * line (MDC {@code requestId}), into the outbox rows the request writes, and back to the client.
 */
public class RequestIds {
  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "requestId";
  private static final Pattern SANE = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

  /** The current request's id, or null outside a request. */
  public static String current() {
    Object id = MDC.get(MDC_KEY);
    return id == null ? null : id.toString();
  }

  /**
   * Whether {@code id} may be used as a request id: short, and nothing a log line could trip on.
   */
  public static boolean isSane(String id) {
    return id != null && SANE.matcher(id).matches();
  }

  @ServerRequestFilter(preMatching = true)
  public void assign(ContainerRequestContext request) {
    String id = request.getHeaderString(HEADER);
    if (!isSane(id)) {
      id = UUID.randomUUID().toString();
    }
    MDC.put(MDC_KEY, id);
    request.setProperty(MDC_KEY, id);
  }

  @ServerResponseFilter
  public void echo(ContainerRequestContext request, ContainerResponseContext response) {
    Object id = request.getProperty(MDC_KEY);
    if (id != null) {
      response.getHeaders().putSingle(HEADER, id);
    }
  }
}
