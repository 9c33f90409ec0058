package com.rewards.loyalty.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.loyalty.domain.Gift;
import com.rewards.loyalty.domain.GiftRepository;
import com.rewards.loyalty.domain.RedemptionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The gifts a user is offered now, each with whether this user can buy it and why not. */
@ApplicationScoped
public class GiftService {
  private final GiftRepository gifts;
  private final AccountRepository accounts;
  private final RedemptionRepository redemptions;

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OfferedGift(
      String id,
      String name,
      String description,
      String imageUrl,
      long cost,
      Integer stock,
      Integer maxPerUser,
      Instant endsAt,
      boolean available,
      String unavailableCode) {}

  public GiftService(
      GiftRepository gifts, AccountRepository accounts, RedemptionRepository redemptions) {
    this.gifts = gifts;
    this.accounts = accounts;
    this.redemptions = redemptions;
  }

  @WithSession
  public Uni<List<OfferedGift>> offered(String clientId, String userId) {
    Instant now = Instant.now();
    return accounts
        .find(clientId, userId)
        .map(a -> a == null ? 0L : a.balance)
        .chain(
            balance ->
                gifts
                    .listFor(clientId)
                    .onItem()
                    .transformToMulti(list -> Multi.createFrom().iterable(list))
                    .select()
                    .where(g -> g.isOpenAt(now))
                    .onItem()
                    .transformToUniAndConcatenate(g -> offer(g, clientId, userId, balance))
                    .collect()
                    .asList());
  }

  private Uni<OfferedGift> offer(Gift g, String clientId, String userId, long balance) {
    Uni<Long> bought =
        g.maxPerUser == null
            ? Uni.createFrom().item(0L)
            : redemptions.countCompleted(clientId, userId, g.id);
    return bought.map(
        n -> {
          String why =
              g.stock != null && g.stock == 0
                  ? "OUT_OF_STOCK"
                  : g.maxPerUser != null && n >= g.maxPerUser
                      ? "LIMIT_REACHED"
                      : balance < g.cost ? "INSUFFICIENT_POINTS" : null;
          return new OfferedGift(
              g.id.toString(),
              g.name,
              g.description,
              g.imageUrl,
              g.cost,
              g.stock,
              g.maxPerUser,
              g.endsAt,
              why == null,
              why);
        });
  }
}
