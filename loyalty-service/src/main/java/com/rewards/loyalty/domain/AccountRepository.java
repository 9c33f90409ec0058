package com.rewards.loyalty.domain;

import com.rewards.platform.event.UserErasures;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, Account.Key> {

  /**
   * The user's account, created empty if new, locked for the rest of the transaction: every earn
   * and burn of one user runs one after the other.
   */
  public Uni<Account> lockOrCreate(String clientId, String userId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into accounts (client_id, user_id) values (:c, :u)"
                            + " on conflict do nothing")
                    .setParameter("c", clientId)
                    .setParameter("u", userId)
                    .executeUpdate())
        .chain(() -> lock(clientId, userId));
  }

  public Uni<Account> lock(String clientId, String userId) {
    return findById(new Account.Key(clientId, userId), LockModeType.PESSIMISTIC_WRITE);
  }

  public Uni<Account> find(String clientId, String userId) {
    return findById(new Account.Key(clientId, userId));
  }

  /** A page of users in id order, after {@code afterUserId} (exclusive). */
  public Uni<List<Account>> page(String clientId, String afterUserId, int limit) {
    return find("clientId = ?1 and userId > ?2 order by userId", clientId, afterUserId)
        .page(0, limit)
        .list();
  }

  /** Makes the user known to the program (the projection of auth's users), with no points. */
  public Uni<Integer> createIfAbsent(String clientId, String userId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into accounts (client_id, user_id) values (:c, :u)"
                            + " on conflict do nothing")
                    .setParameter("c", clientId)
                    .setParameter("u", userId)
                    .executeUpdate());
  }

  /** Removes everything of the user: lots, ledger, redemptions and the account itself. */
  /**
   * Deletes every row of the user, children first; answers the rows removed per table (for the
   * deletion receipt).
   */
  public Uni<Map<String, Integer>> purge(String clientId, String userId) {
    Map<String, String> statements = new LinkedHashMap<>();
    statements.put("points_lots", "delete from points_lots where client_id = :c and user_id = :u");
    statements.put("redemptions", "delete from redemptions where client_id = :c and user_id = :u");
    statements.put(
        "ledger_entries", "delete from ledger_entries where client_id = :c and user_id = :u");
    statements.put("accounts", "delete from accounts where client_id = :c and user_id = :u");
    return UserErasures.run(statements, clientId, userId);
  }
}
