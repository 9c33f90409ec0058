package com.rewards.referral.domain;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ParticipantRepository implements PanacheRepositoryBase<Participant, UUID> {

  public Uni<Participant> findByUser(String clientId, String userId) {
    return find("clientId = ?1 and userId = ?2", clientId, userId).firstResult();
  }

  /** Locks the user's row for the rest of the transaction (null when there is none). */
  public Uni<Participant> lockByUser(String clientId, String userId) {
    return find("clientId = ?1 and userId = ?2", clientId, userId)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResult();
  }

  /** Locks a row by id; used to lock two rows in id order so two applies never deadlock. */
  public Uni<Participant> lock(UUID id) {
    return findById(id, LockModeType.PESSIMISTIC_WRITE);
  }

  /** {@code code} must already be upper-case (codes are stored so). */
  public Uni<Participant> findByCode(String clientId, String code) {
    return find("clientId = ?1 and referralCode = ?2", clientId, code).firstResult();
  }

  /** Codes of the partner that start with {@code base}, for picking the next free suffix. */
  public Uni<List<String>> codesStartingWith(String clientId, String base, int limit) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select referral_code from participants where client_id = :c"
                            + " and referral_code like :p",
                        String.class)
                    .setParameter("c", clientId)
                    .setParameter("p", base.replace("_", "\\_").replace("%", "\\%") + "%")
                    .setMaxResults(limit)
                    .getResultList());
  }

  /**
   * Inserts the participant unless its user or its code is taken; answers whether it did. A
   * conflict never fails the transaction, so the caller can look at why and go on.
   */
  public Uni<Boolean> insertIfFree(Participant p) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into participants (id, client_id, account_id, user_id, email,"
                            + " first_name, last_name, locale, image_url, referral_code, referable,"
                            + " segments, created_at, updated_at) values (:id, :c, :a, :u, :e, :fn,"
                            + " :ln, :l, :img, :code, :ref, :seg, :t, :t)"
                            + " on conflict do nothing")
                    .setParameter("id", p.id)
                    .setParameter("c", p.clientId)
                    .setParameter("a", p.accountId)
                    .setParameter("u", p.userId)
                    .setParameter("e", p.email)
                    .setParameter("fn", p.firstName)
                    .setParameter("ln", p.lastName)
                    .setParameter("l", p.locale)
                    .setParameter("img", p.imageUrl)
                    .setParameter("code", p.referralCode)
                    .setParameter("ref", p.referable)
                    .setParameter("seg", p.segments == null ? new String[0] : p.segments)
                    .setParameter("t", p.createdAt)
                    .executeUpdate())
        .map(rows -> rows == 1);
  }

  /** The user's personal data goes; the row goes too, referrals keep only a pseudonym. */
  public Uni<Integer> deleteByUser(String clientId, String userId) {
    return delete("clientId = ?1 and userId = ?2", clientId, userId).map(Long::intValue);
  }
}
