package com.rewards.loyalty.service;

import com.rewards.loyalty.domain.AccountRepository;
import com.rewards.loyalty.domain.Ledger;
import com.rewards.loyalty.domain.PointsLotRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Releases pending points whose date has come and expires lots past their date: one transaction per
 * user, on the locked account, so the jobs never race that user's earns and burns.
 */
@ApplicationScoped
public class PointsJobs {
  private final PointsLotRepository lots;
  private final AccountRepository accounts;
  private final Ledger ledger;
  private final int batch;

  public PointsJobs(
      PointsLotRepository lots,
      AccountRepository accounts,
      Ledger ledger,
      @ConfigProperty(name = "rewards.loyalty.expiry-batch") int batch) {
    this.lots = lots;
    this.accounts = accounts;
    this.ledger = ledger;
    this.batch = batch;
  }

  @Scheduled(
      every = "${rewards.loyalty.jobs-interval}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return runDue(Instant.now()).replaceWithVoid();
  }

  /** Processes every user with due lots at {@code now}; answers how many users it touched. */
  public Uni<Integer> runDue(Instant now) {
    return Panache.withSession(() -> lots.usersWithDueLots(now, batch))
        .chain(
            users ->
                Multi.createFrom()
                    .iterable(users)
                    .onItem()
                    .transformToUniAndConcatenate(
                        row -> runForUser((String) row[0], (String) row[1], now))
                    .collect()
                    .asList()
                    .chain(
                        done ->
                            done.size() >= batch
                                ? runDue(now).map(more -> done.size() + more)
                                : Uni.createFrom().item(done.size())));
  }

  private Uni<Void> runForUser(String clientId, String userId, Instant now) {
    return Panache.withTransaction(
        () ->
            accounts
                .lock(clientId, userId)
                .chain(
                    account ->
                        account == null
                            ? Uni.createFrom().voidItem()
                            : ledger
                                .releaseDue(account, now)
                                .chain(() -> ledger.expireDue(account, now))
                                .replaceWithVoid()));
  }
}
