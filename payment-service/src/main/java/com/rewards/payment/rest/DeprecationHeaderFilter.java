package com.rewards.payment.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * RFC 9745: every answer of document 002's deprecated payment routes, errors included, carries
 * {@code Deprecation: @<unix seconds>} (the date is configuration).
 */
public class DeprecationHeaderFilter {
  private final String deprecation;

  public DeprecationHeaderFilter(
      @ConfigProperty(name = "rewards.payment.legacy-deprecated-since") Instant since) {
    this.deprecation = "@" + since.getEpochSecond();
  }

  @ServerResponseFilter
  public void mark(ContainerRequestContext request, ContainerResponseContext response) {
    String path = request.getUriInfo().getPath();
    if (path.equals(UserPaymentResource.BASE) || path.startsWith(UserPaymentResource.BASE + "/")) {
      response.getHeaders().putSingle("Deprecation", deprecation);
    }
  }
}
