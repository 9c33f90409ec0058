package com.rewards.referral.domain;

import com.rewards.platform.event.UserErasures;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ReferralRepository implements PanacheRepositoryBase<Referral, UUID> {
  /** Both sides of a referral a deleted user can be on, bound to :p (pseudonym), :c and :u. */
  private static final Map<String, String> ANONYMISE_SIDES =
      Map.of(
          "as_referrer",
          "update referrals set referrer_user_id = :p, referrer_account_id = :p,"
              + " referral_code = null, updated_at = now()"
              + " where client_id = :c and referrer_user_id = :u",
          "as_referred",
          "update referrals set referred_user_id = :p, referred_account_id = :p,"
              + " updated_at = now() where client_id = :c and referred_user_id = :u");

  public Uni<Referral> findByReferred(String clientId, String referredUserId) {
    return find("clientId = ?1 and referredUserId = ?2", clientId, referredUserId).firstResult();
  }

  public Uni<Referral> lockByReferred(String clientId, String referredUserId) {
    return find("clientId = ?1 and referredUserId = ?2", clientId, referredUserId)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResult();
  }

  public Uni<Referral> lockOwned(String clientId, UUID id) {
    return find("clientId = ?1 and id = ?2", clientId, id)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResult();
  }

  public Uni<Referral> findOwned(String clientId, UUID id) {
    return find("clientId = ?1 and id = ?2", clientId, id).firstResult();
  }

  /** How many referrals the referrer collected since {@code since}, whatever became of them. */
  public Uni<Long> countByReferrerSince(String clientId, String referrerUserId, Instant since) {
    return count(
        "clientId = ?1 and referrerUserId = ?2 and createdAt > ?3",
        clientId,
        referrerUserId,
        since);
  }

  /** A page of referrals, newest first, optionally of one referrer and/or in one state. */
  public Uni<Page> page(
      String clientId,
      String referrerAccountId,
      String referrerUserId,
      String state,
      int limit,
      int offset) {
    StringBuilder where = new StringBuilder("clientId = :c");
    Parameters params = Parameters.with("c", clientId);
    if (referrerAccountId != null) {
      where.append(" and referrerAccountId = :a");
      params.and("a", referrerAccountId);
    }
    if (referrerUserId != null) {
      where.append(" and referrerUserId = :u");
      params.and("u", referrerUserId);
    }
    if (state != null) {
      where.append(" and state = :s");
      params.and("s", state);
    }
    String filter = where.toString();
    return count(filter, params)
        .chain(
            total ->
                find(filter + " order by createdAt desc, id", params)
                    .range(offset, offset + limit - 1)
                    .list()
                    .map(items -> new Page(total, items)));
  }

  /**
   * Replaces a deleted user's ids in every referral by a pseudonym, on both sides; the code they
   * shared (made from their name) goes too. Answers the referrals changed.
   */
  public Uni<Integer> anonymise(String clientId, String userId, String pseudonym) {
    return UserErasures.run(ANONYMISE_SIDES, Map.of("p", pseudonym, "c", clientId, "u", userId))
        .map(counts -> counts.values().stream().mapToInt(Integer::intValue).sum());
  }

  public record Page(long total, List<Referral> items) {}
}
