package com.rewards.loyalty.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.loyalty.domain.Account;
import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.loyalty.domain.CatalogRules;
import com.rewards.loyalty.domain.CatalogRules.ActionRules;
import com.rewards.loyalty.domain.CatalogRules.ProgramRules;
import com.rewards.loyalty.domain.Ledger;
import com.rewards.loyalty.domain.LedgerEntry;
import com.rewards.loyalty.domain.LedgerEntryRepository;
import com.rewards.loyalty.domain.Program;
import com.rewards.loyalty.domain.ProgramRepository;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Earning points for an action ("generosity"): the action's window and caps, the program's daily
 * cap, de-duplication on the partner's transaction id, and dry runs that write nothing.
 */
@ApplicationScoped
public class EarnService {
  static final String SOURCE_ACTION = "action";

  private final CatalogRules rules;
  private final AccountRepository accounts;
  private final LedgerEntryRepository entries;
  private final Ledger ledger;
  private final Idempotency idempotency;

  /** What an earn did (or, in a dry run, would do). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Earned(
      Long entryId,
      String userId,
      String actionCode,
      long points,
      long balance,
      long pending,
      Instant availableAt,
      Instant expiresAt,
      boolean duplicate,
      boolean dryRun) {}

  /** One user's outcome in a multistore: {@code stored}, {@code duplicate} or {@code refused}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UserOutcome(String userId, String status, String code, Earned earned) {}

  public EarnService(
      CatalogRules rules,
      AccountRepository accounts,
      LedgerEntryRepository entries,
      Ledger ledger,
      Idempotency idempotency) {
    this.rules = rules;
    this.accounts = accounts;
    this.entries = entries;
    this.ledger = ledger;
    this.idempotency = idempotency;
  }

  /**
   * One earn in its own transaction.
   *
   * @param transactionId the partner's id for this earn: a second call with it answers the first
   *     entry (duplicate) instead of earning again
   */
  public Uni<Earned> earn(
      String clientId,
      String userId,
      String actionCode,
      String transactionId,
      boolean dryRun,
      String idempotencyScope,
      String idempotencyKey) {
    return Panache.withTransaction(
        () ->
            idempotency.execute(
                idempotencyScope,
                idempotencyKey,
                List.of(userId, actionCode, String.valueOf(transactionId), dryRun),
                Earned.class,
                () -> earnInTransaction(clientId, userId, actionCode, transactionId, dryRun)));
  }

  /**
   * Many users, one transaction each: a user's earn is whole or absent, and one refusal does not
   * stop the others.
   */
  public Uni<List<UserOutcome>> earnMany(
      String clientId,
      List<String> userIds,
      String actionCode,
      String transactionId,
      boolean dryRun) {
    return Multi.createFrom()
        .iterable(userIds)
        .onItem()
        .transformToUniAndConcatenate(
            userId ->
                earn(clientId, userId, actionCode, transactionId, dryRun, null, null)
                    .map(
                        e ->
                            new UserOutcome(
                                userId, e.duplicate() ? "duplicate" : "stored", null, e))
                    .onFailure(ApiException.class)
                    .recoverWithItem(
                        f -> new UserOutcome(userId, "refused", ((ApiException) f).code(), null)))
        .collect()
        .asList();
  }

  private Uni<Earned> earnInTransaction(
      String clientId, String userId, String code, String transactionId, boolean dryRun) {
    Instant now = Instant.now();
    return requireProgram(rules, clientId)
        .chain(
            program ->
                rules
                    .action(clientId, code)
                    .chain(
                        action -> {
                          if (action == null) {
                            throw ApiException.notFound("No such action.");
                          }
                          if (!action.isOpenAt(now)) {
                            throw ApiException.conflict(
                                "ACTION_NOT_AVAILABLE", "This action is not open now.");
                          }
                          Uni<Account> account =
                              dryRun
                                  ? accounts
                                      .find(clientId, userId)
                                      .map(a -> a != null ? a : Account.empty(clientId, userId))
                                  : accounts.lockOrCreate(clientId, userId);
                          return account.chain(
                              a -> earnOnAccount(program, action, a, transactionId, dryRun, now));
                        }));
  }

  private Uni<Earned> earnOnAccount(
      ProgramRules program,
      ActionRules action,
      Account account,
      String transactionId,
      boolean dryRun,
      Instant now) {
    Uni<LedgerEntry> previous =
        transactionId == null
            ? Uni.createFrom().nullItem()
            : entries.findByExternalRef(
                account.clientId, account.userId, SOURCE_ACTION, transactionId);
    return previous.chain(
        earlier -> {
          if (earlier != null) {
            return Uni.createFrom()
                .item(
                    new Earned(
                        earlier.id,
                        account.userId,
                        earlier.sourceRef,
                        earlier.points,
                        account.balance,
                        account.pending,
                        earlier.availableAt,
                        null,
                        true,
                        dryRun));
          }
          return checkCaps(program, action, account, now)
              .chain(
                  () -> {
                    if (dryRun) {
                      return Uni.createFrom().item(prospect(program, action, account, now));
                    }
                    return ledger
                        .credit(
                            account,
                            program,
                            LedgerEntry.EARN,
                            action.points(),
                            SOURCE_ACTION,
                            action.code(),
                            transactionId,
                            null,
                            now)
                        .map(
                            posting ->
                                new Earned(
                                    posting.entry().id,
                                    account.userId,
                                    action.code(),
                                    action.points(),
                                    account.balance,
                                    account.pending,
                                    posting.entry().availableAt,
                                    posting.expiresAt(),
                                    false,
                                    false));
                  });
        });
  }

  private Uni<Void> checkCaps(
      ProgramRules program, ActionRules action, Account account, Instant now) {
    Instant today = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    Uni<Void> total =
        action.maxPerUser() == null
            ? Uni.createFrom().voidItem()
            : entries
                .countActionEarns(account.clientId, account.userId, action.code(), null)
                .invoke(n -> refuseIf(n >= action.maxPerUser(), "this action's limit per user"))
                .replaceWithVoid();
    Uni<Void> daily =
        action.maxPerUserDay() == null
            ? Uni.createFrom().voidItem()
            : entries
                .countActionEarns(account.clientId, account.userId, action.code(), today)
                .invoke(n -> refuseIf(n >= action.maxPerUserDay(), "this action's daily limit"))
                .replaceWithVoid();
    Uni<Void> programCap =
        program.dailyPointsCap() == null
            ? Uni.createFrom().voidItem()
            : entries
                .pointsEarnedSince(account.clientId, account.userId, today)
                .invoke(
                    sum ->
                        refuseIf(
                            sum + action.points() > program.dailyPointsCap(),
                            "the program's daily points cap"))
                .replaceWithVoid();
    return total.chain(() -> daily).chain(() -> programCap);
  }

  private static void refuseIf(boolean reached, String what) {
    if (reached) {
      throw ApiException.conflict("LIMIT_REACHED", "The user has reached " + what + ".");
    }
  }

  private static Earned prospect(
      ProgramRules program, ActionRules action, Account account, Instant now) {
    boolean pending = program.pendingDays() > 0;
    Instant availableAt = pending ? now.plus(program.pendingDays(), ChronoUnit.DAYS) : now;
    return new Earned(
        null,
        account.userId,
        action.code(),
        action.points(),
        account.balance + (pending ? 0 : action.points()),
        account.pending + (pending ? action.points() : 0),
        availableAt,
        program.expiryDays() == null
            ? null
            : availableAt.plus(program.expiryDays(), ChronoUnit.DAYS),
        false,
        true);
  }

  /** The program's rules, from {@link CatalogRules}; 404 if the partner has none. */
  static Uni<ProgramRules> requireProgram(CatalogRules rules, String clientId) {
    return rules
        .program(clientId)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("This partner has no program."));
  }

  static Uni<Program> program(ProgramRepository programs, String clientId) {
    return programs
        .findById(clientId)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("This partner has no program."));
  }
}
