package com.rewards.payment.rest;

import com.rewards.payment.stripe.PaymentProviderException;
import com.rewards.platform.error.Problem;
import com.rewards.platform.error.ProblemMappers;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Stripe failures as problem+json. Document 002 answers 500 for every "stripe error" and its
 * clients expect that, so its routes keep 500 (the code says what happened); the partner routes,
 * which no document constrains, answer the honest status. Client mistakes (a bad token, a reused
 * key) are 400/409 on both.
 */
public class PaymentProblemMapper {
  private static final long RETRY_AFTER_SECONDS = 5;

  @ServerExceptionMapper
  public Response provider(PaymentProviderException e, SimpleResourceInfo resource) {
    PaymentProviderException.Kind kind = e.kind();
    boolean documentRoute =
        resource != null && resource.getResourceClass() == UserPaymentResource.class;
    int status = kind.status();
    if (documentRoute && status != 400 && status != 409) {
      status = 500;
    }
    Response.ResponseBuilder response =
        Response.fromResponse(ProblemMappers.problem(Problem.of(status, e.code(), e.getMessage())));
    if (kind == PaymentProviderException.Kind.PAYMENT_PROVIDER_RATE_LIMITED
        || kind == PaymentProviderException.Kind.PAYMENT_PROVIDER_UNAVAILABLE) {
      response.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    return response.build();
  }
}
