package com.rewards.auth.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
}
