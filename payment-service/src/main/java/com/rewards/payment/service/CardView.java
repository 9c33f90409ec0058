package com.rewards.payment.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.payment.domain.Card;

/**
 * A card as document 002 shows it: the fields of Stripe's card object that are safe to show, plus
 * whether it is the user's default. {@code deleted} only on the answer to a deletion, as Stripe
 * does.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CardView(
    String id,
    String object,
    String brand,
    String last4,
    Integer expMonth,
    Integer expYear,
    String funding,
    String country,
    String addressLine1,
    String addressCity,
    String addressZip,
    String addressCountry,
    @JsonProperty("default") boolean isDefault,
    Boolean deleted) {

  public static CardView of(Card card, boolean isDefault) {
    return new CardView(
        card.id,
        "card",
        card.brand,
        card.last4,
        card.expMonth,
        card.expYear,
        card.funding,
        card.country,
        card.addressLine1,
        card.addressCity,
        card.addressZip,
        card.addressCountry,
        isDefault,
        null);
  }

  public CardView asDeleted() {
    return new CardView(
        id,
        object,
        brand,
        last4,
        expMonth,
        expYear,
        funding,
        country,
        addressLine1,
        addressCity,
        addressZip,
        addressCountry,
        false,
        true);
  }
}
