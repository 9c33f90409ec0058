package com.rewards.referral.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.rewards.platform.error.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Document 001's clients read the Advocate API's error members: on {@code /api/v1/...} every
 * problem body also carries {@code statusCode}, {@code message} and {@code apiErrorCode} (the same
 * status, detail and code). The platform's mapping stays the one source of the problem itself.
 */
public class AdvocateErrors {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AdvocateProblem(
      String type,
      String title,
      int status,
      String detail,
      String code,
      String instance,
      List<Problem.FieldError> errors,
      int statusCode,
      String message,
      String apiErrorCode) {

    static AdvocateProblem of(Problem p) {
      return new AdvocateProblem(
          p.type(),
          p.title(),
          p.status(),
          p.detail(),
          p.code(),
          p.instance(),
          p.errors(),
          p.status(),
          p.detail(),
          p.code());
    }
  }

  @ServerResponseFilter
  public void addAdvocateMembers(
      ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getEntity() instanceof Problem problem
        && request.getUriInfo().getPath().startsWith("/api/v1/")) {
      response.setEntity(AdvocateProblem.of(problem));
    }
  }
}
