package com.rewards.auth.event;

import com.rewards.platform.event.CloudEvent;
import com.rewards.platform.event.Outbox;
import com.rewards.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The events auth-service publishes, written to the outbox in the caller's transaction. */
@ApplicationScoped
public class AuthEvents {
  public static final String USERS_TOPIC = "auth.users.v1";
  public static final String PARTNERS_TOPIC = "auth.partners.v1";
  public static final String OTP_TOPIC = "auth.otp-deliveries.v1";

  public static final String USER_CREATED = "auth.user.created.v1";
  public static final String USER_UPDATED = "auth.user.updated.v1";
  public static final String USER_LOGGED_OUT = "auth.user.logged-out.v1";
  public static final String USER_DELETED = "auth.user.deleted.v1";
  public static final String PARTNER_CREATED = "auth.partner.created.v1";
  public static final String PARTNER_SECRET_ROTATED = "auth.partner.secret-rotated.v1";
  public static final String OTP_REQUESTED = "auth.otp.requested.v1";

  private final Outbox outbox;

  public AuthEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  public Uni<CloudEvent> userCreated(String clientId, String userId) {
    return user(USER_CREATED, clientId, userId, null, null);
  }

  public Uni<CloudEvent> userUpdated(String clientId, String userId, List<String> changed) {
    return user(USER_UPDATED, clientId, userId, null, changed);
  }

  public Uni<CloudEvent> userLoggedOut(String clientId, String userId, Instant validAfter) {
    return user(USER_LOGGED_OUT, clientId, userId, validAfter, null);
  }

  public Uni<CloudEvent> userDeleted(String clientId, String userId) {
    return user(USER_DELETED, clientId, userId, null, null);
  }

  public Uni<CloudEvent> partnerCreated(String clientId, String name) {
    return outbox.append(
        PARTNERS_TOPIC,
        clientId,
        PARTNER_CREATED,
        clientId,
        clientId,
        new PartnerEvent(clientId, name, Instant.now(), null));
  }

  public Uni<CloudEvent> partnerSecretRotated(String clientId, Instant notBefore) {
    return outbox.append(
        PARTNERS_TOPIC,
        clientId,
        PARTNER_SECRET_ROTATED,
        clientId,
        clientId,
        new PartnerEvent(clientId, null, Instant.now(), notBefore));
  }

  public Uni<CloudEvent> otpRequested(OtpDeliveryEvent delivery) {
    String key = Caller.namespaced(delivery.clientId(), delivery.userId());
    return outbox.append(OTP_TOPIC, key, OTP_REQUESTED, delivery.clientId(), key, delivery);
  }

  private Uni<CloudEvent> user(
      String type, String clientId, String userId, Instant validAfter, List<String> changed) {
    String key = Caller.namespaced(clientId, userId);
    return outbox.append(
        USERS_TOPIC,
        key,
        type,
        clientId,
        key,
        new UserEvent(clientId, userId, key, Instant.now(), validAfter, changed));
  }
}
