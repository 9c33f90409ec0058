package com.rewards.loyalty.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.loyalty.domain.Account;
import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.loyalty.domain.Action;
import com.rewards.loyalty.domain.CatalogQueries;
import com.rewards.loyalty.domain.Gift;
import com.rewards.loyalty.domain.GiftRepository;
import com.rewards.loyalty.domain.LedgerQueries;
import com.rewards.loyalty.domain.Program;
import com.rewards.loyalty.domain.ProgramRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Document 000's program views: {@code getprog} for anyone (the program, its open actions and
 * gifts, nothing personal) and {@code initialcheckstore} for a signed-in user (the same, plus their
 * points, a history summary and the gifts as offered to them).
 */
@ApplicationScoped
public class ProgramViewService {
  static final int SUMMARY_SIZE = 5;

  private final ProgramRepository programs;
  private final CatalogQueries catalog;
  private final GiftRepository gifts;
  private final AccountRepository accounts;
  private final LedgerQueries ledger;
  private final HistoryService history;
  private final GiftService offers;

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ProgramInfo(
      String clientId,
      String name,
      String pointsName,
      Integer expiryDays,
      int pendingDays,
      Long dailyPointsCap) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record PublicAction(
      String code,
      String name,
      String description,
      long points,
      Integer maxPerUser,
      Integer maxPerUserDay,
      Instant startsAt,
      Instant endsAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record PublicGift(
      String id,
      String name,
      String description,
      String imageUrl,
      long cost,
      Integer stock,
      Integer maxPerUser,
      Instant startsAt,
      Instant endsAt) {}

  public record ProgramView(
      ProgramInfo program, List<PublicAction> actions, List<PublicGift> gifts) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record HistorySummary(
      long earnsCount,
      long burnsCount,
      List<HistoryService.EarnItem> lastEarns,
      List<HistoryService.BurnItem> lastBurns) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record UserSummary(
      String userId,
      long balance,
      long pending,
      long lifetimeEarned,
      long lifetimeBurned,
      HistorySummary history) {}

  public record StoreView(
      ProgramInfo program,
      List<PublicAction> actions,
      List<GiftService.OfferedGift> gifts,
      UserSummary user) {}

  public ProgramViewService(
      ProgramRepository programs,
      CatalogQueries catalog,
      GiftRepository gifts,
      AccountRepository accounts,
      LedgerQueries ledger,
      HistoryService history,
      GiftService offers) {
    this.programs = programs;
    this.catalog = catalog;
    this.gifts = gifts;
    this.accounts = accounts;
    this.ledger = ledger;
    this.history = history;
    this.offers = offers;
  }

  @WithSession
  public Uni<ProgramView> program(String clientId) {
    Instant now = Instant.now();
    return EarnService.program(programs, clientId)
        .chain(
            program ->
                catalog
                    .openActions(clientId, now)
                    .chain(
                        actions ->
                            gifts
                                .listFor(clientId)
                                .map(
                                    all ->
                                        new ProgramView(
                                            info(program),
                                            actions.stream()
                                                .map(ProgramViewService::publicAction)
                                                .toList(),
                                            all.stream()
                                                .filter(g -> g.isOpenAt(now))
                                                .map(ProgramViewService::publicGift)
                                                .toList()))));
  }

  /** One session, one query after the other: a reactive session never runs two at once. */
  @WithSession
  public Uni<StoreView> store(String clientId, String userId) {
    Instant now = Instant.now();
    return EarnService.program(programs, clientId)
        .chain(
            program ->
                catalog
                    .openActions(clientId, now)
                    .chain(
                        actions ->
                            summary(clientId, userId)
                                .chain(
                                    user ->
                                        offers
                                            .offered(clientId, userId)
                                            .map(
                                                offered ->
                                                    new StoreView(
                                                        info(program),
                                                        actions.stream()
                                                            .map(ProgramViewService::publicAction)
                                                            .toList(),
                                                        offered,
                                                        user)))));
  }

  private Uni<UserSummary> summary(String clientId, String userId) {
    return accounts
        .find(clientId, userId)
        .map(a -> a != null ? a : Account.empty(clientId, userId))
        .chain(
            a ->
                historySummary(clientId, userId)
                    .map(
                        h ->
                            new UserSummary(
                                userId,
                                a.balance,
                                a.pending,
                                a.lifetimeEarned,
                                a.lifetimeBurned,
                                h)));
  }

  private Uni<HistorySummary> historySummary(String clientId, String userId) {
    return ledger
        .countCredits(clientId, userId)
        .chain(
            earns ->
                ledger
                    .countRedemptions(clientId, userId)
                    .chain(
                        burns ->
                            lastEarns(clientId, userId)
                                .chain(
                                    lastEarns ->
                                        lastBurns(clientId, userId)
                                            .map(
                                                lastBurns ->
                                                    new HistorySummary(
                                                        earns, burns, lastEarns, lastBurns)))));
  }

  private Uni<List<HistoryService.EarnItem>> lastEarns(String clientId, String userId) {
    return ledger
        .credits(clientId, userId, null, SUMMARY_SIZE)
        .chain(
            rows ->
                history.earnItems(
                    clientId, rows.size() > SUMMARY_SIZE ? rows.subList(0, SUMMARY_SIZE) : rows));
  }

  private Uni<List<HistoryService.BurnItem>> lastBurns(String clientId, String userId) {
    return ledger
        .redemptions(clientId, userId, null, null, SUMMARY_SIZE)
        .chain(
            rows ->
                history.burnItems(
                    clientId, rows.size() > SUMMARY_SIZE ? rows.subList(0, SUMMARY_SIZE) : rows));
  }

  static ProgramInfo info(Program p) {
    return new ProgramInfo(
        p.clientId, p.name, p.pointsName, p.expiryDays, p.pendingDays, p.dailyPointsCap);
  }

  private static PublicAction publicAction(Action a) {
    return new PublicAction(
        a.code,
        a.name,
        a.description,
        a.points,
        a.maxPerUser,
        a.maxPerUserDay,
        a.startsAt,
        a.endsAt);
  }

  private static PublicGift publicGift(Gift g) {
    return new PublicGift(
        g.id.toString(),
        g.name,
        g.description,
        g.imageUrl,
        g.cost,
        g.stock,
        g.maxPerUser,
        g.startsAt,
        g.endsAt);
  }
}
