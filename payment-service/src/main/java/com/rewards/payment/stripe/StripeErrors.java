package com.rewards.payment.stripe;

import com.rewards.payment.stripe.PaymentProviderException.Kind;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import java.util.Set;

/** Turns stripe-java's exceptions into the platform's codes. */
final class StripeErrors {
  private static final Set<String> BAD_TOKEN_CODES =
      Set.of("token_already_used", "resource_missing", "invalid_card_type");

  private StripeErrors() {}

  static PaymentProviderException translate(StripeException e) {
    if (e instanceof CardException card) {
      Kind kind =
          switch (card.getCode() == null ? "" : card.getCode()) {
            case "expired_card" -> Kind.CARD_EXPIRED;
            case "incorrect_cvc", "invalid_cvc" -> Kind.CARD_CVC_INVALID;
            // Stripe's own advice for processing_error is to try again later.
            case "processing_error" -> Kind.PAYMENT_PROVIDER_UNAVAILABLE;
            default -> Kind.CARD_DECLINED;
          };
      return new PaymentProviderException(kind, card.getCharge(), card.getCode());
    }
    if (e instanceof RateLimitException) {
      return new PaymentProviderException(Kind.PAYMENT_PROVIDER_RATE_LIMITED);
    }
    if (e instanceof IdempotencyException) {
      return new PaymentProviderException(Kind.IDEMPOTENCY_KEY_REUSED);
    }
    if (e instanceof InvalidRequestException invalid) {
      String param = invalid.getParam() == null ? "" : invalid.getParam();
      if (param.equals("source") && BAD_TOKEN_CODES.contains(String.valueOf(invalid.getCode()))) {
        return new PaymentProviderException(Kind.INVALID_CARD_TOKEN);
      }
      if (param.contains("price")) {
        return new PaymentProviderException(Kind.UNKNOWN_PRICE);
      }
      if ("resource_missing".equals(invalid.getCode())) {
        return new PaymentProviderException(Kind.PAYMENT_PROVIDER_NOT_FOUND);
      }
      return new PaymentProviderException(Kind.PAYMENT_PROVIDER_REJECTED);
    }
    if (e instanceof AuthenticationException || e instanceof PermissionException) {
      // Our key is wrong or lacks a permission: an outage for the client, an alarm for us.
      return new PaymentProviderException(Kind.PAYMENT_PROVIDER_UNAVAILABLE);
    }
    // Connection failures, timeouts and Stripe's 5xx alike: try again later.
    return new PaymentProviderException(Kind.PAYMENT_PROVIDER_UNAVAILABLE);
  }
}
