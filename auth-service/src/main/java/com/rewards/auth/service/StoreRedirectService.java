package com.rewards.auth.service;

import com.rewards.auth.domain.PartnerRepository;
import com.rewards.auth.domain.Secrets;
import com.rewards.auth.domain.StoreCode;
import com.rewards.auth.domain.StoreCodeRepository;
import com.rewards.auth.domain.User;
import com.rewards.auth.domain.UserRepository;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.security.Caller;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Document 003's k-store redirect: a short-lived URL to the partner's store, signed so it cannot be
 * altered, carrying a one-time code the store exchanges (server to server) for the user, never the
 * user token itself.
 */
@ApplicationScoped
public class StoreRedirectService {
  private final PartnerRepository partners;
  private final UserService users;
  private final UserRepository userRepository;
  private final StoreCodeRepository codes;
  private final SecretKeySpec signingKey;
  private final Duration ttl;

  public record Redeemed(String userId, String namespacedUserId) {}

  public StoreRedirectService(
      PartnerRepository partners,
      UserService users,
      UserRepository userRepository,
      StoreCodeRepository codes,
      @ConfigProperty(name = "rewards.auth.redirect-signing-key") String base64Key,
      @ConfigProperty(name = "rewards.auth.store-code-ttl") Duration ttl) {
    this.partners = partners;
    this.users = users;
    this.userRepository = userRepository;
    this.codes = codes;
    this.signingKey = new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256");
    this.ttl = ttl;
  }

  @WithTransaction
  public Uni<String> redirectUrl(Caller caller) {
    return partners
        .findByClientId(caller.clientId())
        .chain(
            partner -> {
              if (partner == null || partner.storeUrl == null) {
                throw ApiException.notFound("This partner has no store configured.");
              }
              return users
                  .load(caller)
                  .chain(
                      user -> {
                        String code = Secrets.newSecret();
                        StoreCode stored = new StoreCode();
                        stored.codeHash = Secrets.sha256Hex(code);
                        stored.userRef = user.id;
                        stored.expiresAt = Instant.now().plus(ttl);
                        return codes
                            .persist(stored)
                            .map(
                                s ->
                                    signed(
                                        partner.storeUrl, code, stored.expiresAt.getEpochSecond()));
                      });
            });
  }

  /** The store's server exchanges the code once, before it expires, for the user it names. */
  @WithTransaction
  public Uni<Redeemed> redeem(String clientId, String code) {
    return codes
        .findById(Secrets.sha256Hex(code), LockModeType.PESSIMISTIC_WRITE)
        .chain(
            stored -> {
              if (stored == null
                  || stored.usedAt != null
                  || stored.expiresAt.isBefore(Instant.now())) {
                throw ApiException.notFound("Unknown, used or expired code.");
              }
              return userRepository
                  .findById(stored.userRef)
                  .chain(user -> ownedBy(user, clientId))
                  .invoke(() -> stored.usedAt = Instant.now())
                  .map(
                      user ->
                          new Redeemed(
                              user.externalId, Caller.namespaced(clientId, user.externalId)));
            });
  }

  private Uni<User> ownedBy(User user, String clientId) {
    return partners
        .findByClientId(clientId)
        .map(
            partner -> {
              if (partner == null || user == null || !partner.id.equals(user.partnerId)) {
                throw ApiException.notFound("Unknown, used or expired code.");
              }
              return user;
            });
  }

  private String signed(String storeUrl, String code, long expires) {
    String unsigned =
        storeUrl
            + (storeUrl.contains("?") ? "&" : "?")
            + "code="
            + URLEncoder.encode(code, StandardCharsets.UTF_8)
            + "&expires="
            + expires;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(signingKey);
      String signature =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(mac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8)));
      return unsigned + "&signature=" + signature;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
