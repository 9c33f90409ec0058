package com.rewards.payment.stripe;

/**
 * A Stripe failure as the platform tells it: a stable code and a message of our own. Stripe's raw
 * message never gets here (it can echo parameters and parts of keys). The HTTP status depends on
 * the route family, so it is chosen by the mapper, not here.
 */
public class PaymentProviderException extends RuntimeException {

  /** What went wrong, with the honest HTTP status of each. */
  public enum Kind {
    CARD_DECLINED(402, "The card was declined."),
    CARD_EXPIRED(402, "The card has expired."),
    CARD_CVC_INVALID(402, "The card's security code is not valid."),
    INVALID_CARD_TOKEN(400, "The card token is not valid or was already used."),
    UNKNOWN_PRICE(400, "The payment provider does not know this price."),
    PAYMENT_PROVIDER_REJECTED(400, "The payment provider refused the request."),
    PAYMENT_PROVIDER_NOT_FOUND(404, "The payment provider does not know this object."),
    PAYMENT_PROVIDER_RATE_LIMITED(429, "The payment provider is rate limiting; retry later."),
    PAYMENT_PROVIDER_UNAVAILABLE(503, "The payment provider could not be reached; retry later."),
    IDEMPOTENCY_KEY_REUSED(409, "This Idempotency-Key was used with another request body.");

    private final int status;
    private final String message;

    Kind(int status, String message) {
      this.status = status;
      this.message = message;
    }

    public int status() {
      return status;
    }

    public String message() {
      return message;
    }

    /** Declines are the user's card's doing, not a fault of the provider. */
    public boolean isDecline() {
      return status == 402;
    }
  }

  private final Kind kind;
  private final String chargeId;
  private final String providerCode;

  public PaymentProviderException(Kind kind) {
    this(kind, null, null);
  }

  /**
   * @param chargeId the failed charge Stripe recorded for a decline, or null
   * @param providerCode Stripe's error code (e.g. {@code card_declined}), safe to store, or null
   */
  public PaymentProviderException(Kind kind, String chargeId, String providerCode) {
    super(kind.message(), null, false, false);
    this.kind = kind;
    this.chargeId = chargeId;
    this.providerCode = providerCode;
  }

  public String providerCode() {
    return providerCode;
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return kind.name();
  }

  public String chargeId() {
    return chargeId;
  }
}
