package com.rewards.platform.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one exception-to-problem+json mapping of every service. Anything unexpected becomes a bare
 * 500 so that no stack trace, SQL or class name reaches a client; the cause is logged server-side.
 */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  public static Response problem(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }

  @ServerExceptionMapper
  public Response api(ApiException e) {
    Problem problem = Problem.of(e.status(), e.code(), e.getMessage());
    if (e.field() != null) {
      problem = problem.withErrors(List.of(new Problem.FieldError(e.field(), e.getMessage())));
    }
    Response response = problem(problem);
    return e.retryAfterSeconds() == null
        ? response
        : Response.fromResponse(response).header("Retry-After", e.retryAfterSeconds()).build();
  }

  @ServerExceptionMapper
  public Response validation(ConstraintViolationException e) {
    List<Problem.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
            .sorted(Comparator.comparing(Problem.FieldError::field))
            .toList();
    return problem(Problem.of(400, "BAD_REQUEST", "The request is not valid.").withErrors(errors));
  }

  /**
   * A field of the wrong type ({@code "starts_at": "tomorrow"}); named explicitly because Quarkus'
   * own mapper for it would otherwise win and answer without problem+json.
   */
  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    return json(e);
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e) {
    return problem(Problem.of(400, "BAD_REQUEST", "The body is not valid JSON for this request."));
  }

  @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
  public Response unauthorized(RuntimeException e) {
    return Response.fromResponse(
            problem(Problem.of(401, "UNAUTHORIZED", "A valid token is required.")))
        .header("WWW-Authenticate", "Bearer")
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return problem(Problem.of(403, "FORBIDDEN", "This caller may not use this endpoint."));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      LOG.error("Request failed", e);
    }
    return problem(Problem.of(status, codeOf(status), Problem.title(status)));
  }

  @ServerExceptionMapper(priority = 10_000)
  public Response unexpected(Throwable e) {
    LOG.error("Unexpected failure", e);
    return problem(Problem.of(500, "INTERNAL_ERROR", "An unexpected error occurred."));
  }

  private static String codeOf(int status) {
    return switch (status) {
      case 400 -> "BAD_REQUEST";
      case 401 -> "UNAUTHORIZED";
      case 403 -> "FORBIDDEN";
      case 404 -> "RECORD_NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 406 -> "NOT_ACCEPTABLE";
      case 413 -> "PAYLOAD_TOO_LARGE";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      default -> status >= 500 ? "INTERNAL_ERROR" : "REQUEST_FAILED";
    };
  }

  private static String fieldOf(ConstraintViolation<?> v) {
    String path = v.getPropertyPath().toString();
    // Resource-method paths look like "store.arg0.data.userId": the client only knows the body
    // part.
    int dot = path.indexOf('.');
    int second = dot < 0 ? -1 : path.indexOf('.', dot + 1);
    return second < 0 ? path : path.substring(second + 1);
  }
}
