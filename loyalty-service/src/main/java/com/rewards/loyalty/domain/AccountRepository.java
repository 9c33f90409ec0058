package com.rewards.loyalty.domain;

import com.rewards.platform.event.UserErasures;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, Account.Key> {

  /**
   * The user's account, created empty if new, locked for the rest of the transaction: every earn
   * and burn of one user runs one after the other. One statement: the upsert's no-op update (of a
   * non-key column) locks the row as strongly as the {@code select … for no key update} it
   * replaces, and draws the id of the entry the caller is about to write ({@link
   * Account#nextEntryId}). The answer is a plain object, not a managed entity: {@link Ledger}
   * writes the row back itself.
   */
  public Uni<Account> lockOrCreate(String clientId, String userId) {
    return SessionSql.row(LOCK_OR_CREATE, clientId, userId)
        .map(
            r -> {
              Account a = new Account();
              a.clientId = clientId;
              a.userId = userId;
              a.balance = (Long) r[0];
              a.pending = (Long) r[1];
              a.lifetimeEarned = (Long) r[2];
              a.lifetimeBurned = (Long) r[3];
              a.createdAt = ((OffsetDateTime) r[4]).toInstant();
              a.updatedAt = ((OffsetDateTime) r[5]).toInstant();
              a.nextEntryId = (Long) r[6];
              return a;
            });
  }

  static final String LOCK_OR_CREATE =
      "insert into accounts as a (client_id, user_id) values ($1, $2)"
          + " on conflict (client_id, user_id) do update set balance = a.balance"
          + " returning a.balance, a.pending, a.lifetime_earned, a.lifetime_burned, a.created_at,"
          + " a.updated_at, nextval('ledger_entries_id_seq')";

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
