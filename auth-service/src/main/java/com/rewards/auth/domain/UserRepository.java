package com.rewards.auth.domain;

import com.rewards.platform.event.UserErasures;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, UUID> {
  public Uni<User> findByExternalId(UUID partnerId, String externalId) {
    return find("partnerId = ?1 and externalId = ?2", partnerId, externalId).firstResult();
  }

  /** The user a token names: client id and the partner's own user id. */
  public Uni<User> findByClient(String clientId, String externalId) {
    return find(
            "externalId = ?1 and partnerId = (select p.id from Partner p where p.clientId = ?2)",
            externalId,
            clientId)
        .firstResult();
  }

  public Uni<Boolean> emailTaken(UUID partnerId, String email, UUID exceptUser) {
    return count(
            "partnerId = ?1 and lower(email) = lower(?2) and id <> ?3",
            partnerId,
            email,
            exceptUser)
        .map(n -> n > 0);
  }

  public Uni<Boolean> usernameTaken(UUID partnerId, String username, UUID exceptUser) {
    return count(
            "partnerId = ?1 and lower(username) = lower(?2) and id <> ?3",
            partnerId,
            username,
            exceptUser)
        .map(n -> n > 0);
  }

  public Uni<Boolean> phoneTaken(UUID partnerId, String phone, UUID exceptUser) {
    return count("partnerId = ?1 and phone = ?2 and id <> ?3", partnerId, phone, exceptUser)
        .map(n -> n > 0);
  }

  /**
   * Deletes the user's row and every row that refers to it, children first, and answers the rows
   * removed per table (for the deletion receipt). The foreign keys cascade too; deleting the
   * children explicitly is what lets them be counted.
   */
  public Uni<Map<String, Integer>> purge(User user) {
    Map<String, String> statements = new LinkedHashMap<>();
    statements.put("otp_codes", "delete from otp_codes where user_ref = :id");
    statements.put("provider_links", "delete from provider_links where user_ref = :id");
    statements.put("store_codes", "delete from store_codes where user_ref = :id");
    statements.put("users", "delete from users where id = :id");
    return UserErasures.run(statements, Map.of("id", user.id))
        // The entity is gone below the session: it must not be flushed again.
        .call(removed -> Panache.getSession().invoke(s -> s.detach(user)));
  }
}
