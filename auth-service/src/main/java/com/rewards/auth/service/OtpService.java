package com.rewards.auth.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.auth.domain.OtpCode;
import com.rewards.auth.domain.OtpCodeRepository;
import com.rewards.auth.domain.Secrets;
import com.rewards.auth.domain.User;
import com.rewards.auth.event.AuthEvents;
import com.rewards.auth.event.OtpDeliveryEvent;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.platform.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One-time codes that prove the user owns an email or phone, which then gets linked to them. Codes
 * are short-lived, hashed, single-use, with a cap on guesses per code and on requests per window.
 */
@ApplicationScoped
public class OtpService {
  private final UserService users;
  private final OtpCodeRepository codes;
  private final AuthEvents events;
  private final Idempotency idempotency;
  private final Duration ttl;
  private final int maxAttempts;
  private final int maxRequests;
  private final Duration window;

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Sent(String channel, String destination, long expiresIn) {}

  public OtpService(
      UserService users,
      OtpCodeRepository codes,
      AuthEvents events,
      Idempotency idempotency,
      @ConfigProperty(name = "rewards.auth.otp.ttl") Duration ttl,
      @ConfigProperty(name = "rewards.auth.otp.max-attempts") int maxAttempts,
      @ConfigProperty(name = "rewards.auth.otp.max-requests-per-window") int maxRequests,
      @ConfigProperty(name = "rewards.auth.otp.request-window") Duration window) {
    this.users = users;
    this.codes = codes;
    this.events = events;
    this.idempotency = idempotency;
    this.ttl = ttl;
    this.maxAttempts = maxAttempts;
    this.maxRequests = maxRequests;
    this.window = window;
  }

  /** A retry with the same {@code Idempotency-Key} replays the answer and sends no second code. */
  @WithTransaction
  public Uni<Sent> request(
      Caller caller, String channel, String destination, String idempotencyKey) {
    return idempotency.execute(
        "otp:" + caller.namespacedUserId(),
        idempotencyKey,
        List.of(channel, destination),
        Sent.class,
        () -> send(caller, channel, destination));
  }

  private Uni<Sent> send(Caller caller, String channel, String destination) {
    Instant now = Instant.now();
    return users
        .load(caller)
        .call(
            user ->
                codes
                    .requestedSince(user.id, now.minus(window))
                    .invoke(
                        count -> {
                          if (count >= maxRequests) {
                            throw ApiException.tooManyRequests(
                                "TOO_MANY_REQUESTS",
                                "Too many codes requested; try again later.",
                                window.toSeconds());
                          }
                        }))
        .chain(
            user -> {
              String code = Secrets.newDigits(6);
              OtpCode otp = new OtpCode();
              otp.id = UUID.randomUUID();
              otp.userRef = user.id;
              otp.channel = channel;
              otp.destination = destination;
              otp.codeHash = Secrets.sha256Hex(otp.id + ":" + code);
              otp.createdAt = now;
              otp.expiresAt = now.plus(ttl);
              return codes
                  .persist(otp)
                  .call(
                      () ->
                          events.otpRequested(
                              new OtpDeliveryEvent(
                                  caller.clientId(),
                                  caller.userId(),
                                  channel,
                                  destination,
                                  code,
                                  otp.expiresAt)))
                  .replaceWith(new Sent(channel, destination, ttl.toSeconds()));
            });
  }

  /**
   * Checks the code; on success links the destination to the user. A wrong guess is counted in its
   * own committed transaction, so failing does not roll the count back.
   */
  public Uni<User> verify(Caller caller, String channel, String destination, String code) {
    return Panache.withTransaction(() -> verifyOnce(caller, channel, destination, code))
        .chain(
            outcome -> {
              if (outcome.user() != null) {
                return Uni.createFrom().item(outcome.user());
              }
              throw outcome.failure();
            });
  }

  private record Outcome(User user, ApiException failure) {}

  private Uni<Outcome> verifyOnce(Caller caller, String channel, String destination, String code) {
    return users
        .load(caller)
        .chain(
            user ->
                codes
                    .latestOpen(user.id, channel, destination)
                    .chain(
                        otp -> {
                          if (otp == null || otp.expiresAt.isBefore(Instant.now())) {
                            return failed(400, "CODE_EXPIRED", "No valid code: request a new one.");
                          }
                          if (otp.attempts >= maxAttempts) {
                            return failed(
                                429,
                                "TOO_MANY_ATTEMPTS",
                                "Too many wrong codes: request a new one.");
                          }
                          if (!Secrets.matchesSha256(otp.id + ":" + code, otp.codeHash)) {
                            otp.attempts++;
                            return failed(400, "INVALID_CODE", "The code is wrong.");
                          }
                          otp.consumedAt = Instant.now();
                          return users
                              .linkContact(user, channel, destination)
                              .map(linked -> new Outcome(linked, null));
                        }));
  }

  private static Uni<Outcome> failed(int status, String code, String message) {
    return Uni.createFrom().item(new Outcome(null, new ApiException(status, code, message)));
  }
}
