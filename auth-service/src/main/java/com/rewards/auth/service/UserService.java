package com.rewards.auth.service;

import com.rewards.auth.domain.PartnerRepository;
import com.rewards.auth.domain.PasswordHasher;
import com.rewards.auth.domain.User;
import com.rewards.auth.domain.UserHoldRepository;
import com.rewards.auth.domain.UserRepository;
import com.rewards.auth.event.AuthEvents;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;

/** The user lifecycle: sign-in (create if new), profile, logout everywhere, deletion. */
@ApplicationScoped
public class UserService {
  private final PartnerRepository partners;
  private final UserRepository users;
  private final UserHoldRepository holds;
  private final PasswordHasher passwords;
  private final AuthEvents events;
  private final DeletionReceiptService receipts;

  public record SignIn(
      String clientId,
      String userId,
      String email,
      String username,
      String firstName,
      String lastName,
      String phone) {}

  public record SignedIn(User user, String clientId, boolean created) {}

  public record ProfileChange(
      String username, String email, String oldPassword, String newPassword, String info) {
    boolean isEmpty() {
      return username == null
          && email == null
          && oldPassword == null
          && newPassword == null
          && info == null;
    }
  }

  public enum DeleteOutcome {
    DELETED,
    NOT_FOUND,
    ON_HOLD
  }

  public record DeleteResult(String userId, DeleteOutcome outcome) {}

  public UserService(
      PartnerRepository partners,
      UserRepository users,
      UserHoldRepository holds,
      PasswordHasher passwords,
      AuthEvents events,
      DeletionReceiptService receipts) {
    this.partners = partners;
    this.users = users;
    this.holds = holds;
    this.passwords = passwords;
    this.events = events;
    this.receipts = receipts;
  }

  /**
   * Connects the user, creating it on first sight. Two first sign-ins racing for the same user meet
   * at the unique key; the loser retries once and finds the winner's row.
   */
  public Uni<SignedIn> signIn(SignIn command) {
    return Panache.withTransaction(() -> signInOnce(command))
        .onFailure(ConstraintViolationException.class)
        .recoverWithUni(() -> Panache.withTransaction(() -> signInOnce(command)));
  }

  private Uni<SignedIn> signInOnce(SignIn command) {
    return partners
        .findByClientId(command.clientId())
        .onItem()
        .ifNull()
        .failWith(PartnerService::invalidClient)
        .chain(
            partner ->
                users
                    .findByExternalId(partner.id, command.userId())
                    .chain(
                        existing -> {
                          if (existing != null) {
                            return Uni.createFrom()
                                .item(new SignedIn(existing, command.clientId(), false));
                          }
                          User user = new User();
                          user.id = UUID.randomUUID();
                          user.partnerId = partner.id;
                          user.externalId = command.userId();
                          user.email = command.email();
                          user.username = command.username();
                          user.firstName = command.firstName();
                          user.lastName = command.lastName();
                          user.phone = command.phone();
                          user.createdAt = Instant.now();
                          user.updatedAt = user.createdAt;
                          return refuseTaken(user, user.username, user.email)
                              .chain(() -> users.persistAndFlush(user))
                              .call(() -> events.userCreated(command.clientId(), command.userId()))
                              .map(u -> new SignedIn(u, command.clientId(), true));
                        }));
  }

  @WithSession
  public Uni<User> current(Caller caller) {
    return load(caller);
  }

  /** Document 002's {@code show}: only users of the caller's own partner exist for it. */
  @WithSession
  public Uni<User> show(Caller caller, String userId) {
    return users
        .findByClient(caller.clientId(), userId)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("No such user."));
  }

  /** Logout on all devices: every token issued up to now is refused from here on. */
  @WithTransaction
  public Uni<Instant> logout(Caller caller) {
    return load(caller)
        .chain(
            user -> {
              user.tokensValidAfter = Instant.now();
              user.updatedAt = user.tokensValidAfter;
              return events
                  .userLoggedOut(caller.clientId(), caller.userId(), user.tokensValidAfter)
                  .replaceWith(user.tokensValidAfter);
            });
  }

  /** Deletes the caller; refused while another service holds the user (e.g. a subscription). */
  @WithTransaction
  public Uni<User> delete(Caller caller) {
    return load(caller)
        .call(user -> refuseHeld(caller.clientId(), caller.userId()))
        .call(user -> erase(user, caller.clientId(), caller.userId()));
  }

  /**
   * Removes the user here, announces the deletion to the other services and opens its receipt
   * (auth's part done, with what went), all in the caller's transaction.
   */
  private Uni<Void> erase(User user, String clientId, String userId) {
    return users
        .purge(user)
        .chain(
            removed ->
                events
                    .userDeleted(clientId, userId)
                    .chain(
                        deleted ->
                            receipts.open(
                                user.partnerId,
                                clientId,
                                userId,
                                UUID.fromString(deleted.id()),
                                Instant.parse(deleted.time()),
                                removed)));
  }

  /** One transaction per user, so one refusal never undoes another user's deletion. */
  public Uni<List<DeleteResult>> deleteMany(String clientId, List<String> userIds) {
    return Multi.createFrom()
        .iterable(userIds)
        .onItem()
        .transformToUniAndConcatenate(id -> Panache.withTransaction(() -> deleteOne(clientId, id)))
        .collect()
        .asList();
  }

  private Uni<DeleteResult> deleteOne(String clientId, String userId) {
    return users
        .findByClient(clientId, userId)
        .chain(
            user -> {
              if (user == null) {
                return Uni.createFrom().item(new DeleteResult(userId, DeleteOutcome.NOT_FOUND));
              }
              return holds
                  .hasHold(clientId, userId)
                  .chain(
                      held ->
                          held
                              ? Uni.createFrom()
                                  .item(new DeleteResult(userId, DeleteOutcome.ON_HOLD))
                              : erase(user, clientId, userId)
                                  .replaceWith(new DeleteResult(userId, DeleteOutcome.DELETED)));
            });
  }

  /** Document 002's {@code update}, with exactly its status codes. */
  @WithTransaction
  public Uni<User> update(Caller caller, ProfileChange change) {
    if (change.isEmpty()) {
      return Uni.createFrom()
          .failure(new ApiException(400, "NOTHING_TO_UPDATE", "There is nothing to update."));
    }
    if (change.oldPassword() != null && change.newPassword() == null) {
      return Uni.createFrom()
          .failure(
              new ApiException(
                  403, "NEW_PASSWORD_MISSING", "Changing the password needs a new password."));
    }
    return load(caller)
        .call(user -> refuseTaken(user, change.username(), change.email()))
        .call(user -> changePassword(user, change))
        .call(
            user -> {
              List<String> changed = new ArrayList<>();
              if (change.username() != null) {
                user.username = change.username();
                changed.add("username");
              }
              if (change.email() != null) {
                user.email = change.email();
                changed.add("email");
              }
              if (change.info() != null) {
                user.info = change.info();
                changed.add("info");
              }
              if (change.newPassword() != null) {
                changed.add("password");
              }
              user.updatedAt = Instant.now();
              return events.userUpdated(caller.clientId(), caller.userId(), changed);
            });
  }

  private Uni<Void> changePassword(User user, ProfileChange change) {
    if (change.newPassword() == null) {
      return Uni.createFrom().voidItem();
    }
    Uni<Boolean> allowed =
        user.passwordHash == null
            ? Uni.createFrom().item(true)
            : passwords.matches(change.oldPassword(), user.passwordHash);
    return allowed
        .chain(
            ok -> {
              if (!ok) {
                throw new ApiException(406, "OLD_PASSWORD_WRONG", "The old password is wrong.");
              }
              return passwords.hash(change.newPassword());
            })
        .invoke(hash -> user.passwordHash = hash)
        .replaceWithVoid();
  }

  /** Links a verified email or phone to the user (after a one-time code). */
  Uni<User> linkContact(User user, String channel, String destination) {
    boolean phone = "phone".equals(channel);
    Uni<Boolean> taken =
        phone
            ? users.phoneTaken(user.partnerId, destination, user.id)
            : users.emailTaken(user.partnerId, destination, user.id);
    return taken.chain(
        isTaken -> {
          if (isTaken) {
            throw ApiException.conflict(
                phone ? "PHONE_TAKEN" : "EMAIL_TAKEN",
                "Another user already has this " + (phone ? "phone number." : "email."));
          }
          if (phone) {
            user.phone = destination;
          } else {
            user.email = destination;
          }
          user.updatedAt = Instant.now();
          return partners
              .findById(user.partnerId)
              .call(p -> events.userUpdated(p.clientId, user.externalId, List.of(channel)))
              .replaceWith(user);
        });
  }

  Uni<User> load(Caller caller) {
    return users
        .findByClient(caller.clientId(), caller.userId())
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("No such user."));
  }

  private Uni<Void> refuseHeld(String clientId, String userId) {
    return holds
        .hasHold(clientId, userId)
        .invoke(
            held -> {
              if (held) {
                throw ApiException.forbidden(
                    "USER_ON_HOLD",
                    "The user cannot be deleted while another service holds them"
                        + " (e.g. an active subscription).");
              }
            })
        .replaceWithVoid();
  }

  private Uni<Void> refuseTaken(User user, String username, String email) {
    Uni<Boolean> usernameTaken =
        username == null
            ? Uni.createFrom().item(false)
            : users.usernameTaken(user.partnerId, username, user.id);
    Uni<Boolean> emailTaken =
        email == null
            ? Uni.createFrom().item(false)
            : users.emailTaken(user.partnerId, email, user.id);
    return usernameTaken
        .invoke(
            taken -> {
              if (taken) {
                throw ApiException.conflict("USERNAME_TAKEN", "Another user has this username.");
              }
            })
        .chain(() -> emailTaken)
        .invoke(
            taken -> {
              if (taken) {
                throw ApiException.conflict("EMAIL_TAKEN", "Another user has this email.");
              }
            })
        .replaceWithVoid();
  }
}
