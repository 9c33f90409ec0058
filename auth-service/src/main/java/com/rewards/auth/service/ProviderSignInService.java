package com.rewards.auth.service;

import com.rewards.auth.domain.IdentityProvider;
import com.rewards.auth.domain.IdentityProviderRepository;
import com.rewards.auth.domain.Partner;
import com.rewards.auth.domain.PartnerRepository;
import com.rewards.auth.domain.ProviderLink;
import com.rewards.auth.domain.ProviderLinkRepository;
import com.rewards.auth.domain.User;
import com.rewards.auth.domain.UserRepository;
import com.rewards.platform.error.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

/**
 * Document 002's {@code providers} namespace: a partner registers the OpenID providers it trusts,
 * and an app exchanges a provider's ID token for a user token. The user is found through the link
 * of the provider's subject, or created as {@code <provider>:<sub>} on first sign-in. A link holds
 * only while the provider trusts the issuer it was made under: changing the issuer of a provider
 * with links is refused unless the partner asks to transfer them.
 */
@ApplicationScoped
public class ProviderSignInService {
  /** Names are path segments and prefixes of user ids: short, lower case, no separator. */
  public static final String NAME_PATTERN = "^[a-z0-9-]{2,32}$";

  private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

  /** Document 000's user-id alphabet, so every route that takes a user id can name this user. */
  private static final Pattern USER_ID = Pattern.compile("^(?!.*___)[A-Za-z0-9._:@+|-]{1,128}$");

  /** Asymmetric only: shuts out {@code none} and HS256 "signed" with the provider's public key. */
  private static final Set<String> ALGORITHMS =
      Set.of(
          AlgorithmIdentifiers.RSA_USING_SHA256,
          AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);

  /** Headers that bring their own key: trusting them would let the token vouch for itself. */
  private static final Set<String> KEY_HEADERS = Set.of("jku", "x5u", "jwk", "x5c");

  private static final int CLOCK_SKEW_SECONDS = 30;
  private static final int MAX_NAME_PART_CHARS = 100;
  private static final Logger LOG = Logger.getLogger(ProviderSignInService.class);

  private final PartnerRepository partners;
  private final IdentityProviderRepository providers;
  private final ProviderLinkRepository links;
  private final UserRepository userRepository;
  private final UserService users;
  private final ProviderKeys keys;
  private final JwksUrlPolicy jwksUrls;

  /** Reads the header only; nothing in it is trusted before the signature is checked. */
  private final JwtConsumer headerReader =
      new JwtConsumerBuilder()
          .setSkipAllValidators()
          .setDisableRequireSignature()
          .setSkipSignatureVerification()
          .build();

  public record Settings(String issuer, String jwksUrl, String audience) {}

  /** What a save does with links made under another issuer than the new one. */
  public enum LinksOnIssuerChange {
    /** Refuse the save (409) if there are any. */
    REFUSE,
    /** The new issuer is the same authority under a new name: its subjects are the same people. */
    TRANSFER
  }

  public record Saved(IdentityProvider provider, boolean created) {}

  private record Identity(String subject, String givenName, String familyName) {}

  public ProviderSignInService(
      PartnerRepository partners,
      IdentityProviderRepository providers,
      ProviderLinkRepository links,
      UserRepository userRepository,
      UserService users,
      ProviderKeys keys,
      JwksUrlPolicy jwksUrls) {
    this.partners = partners;
    this.providers = providers;
    this.links = links;
    this.userRepository = userRepository;
    this.users = users;
    this.keys = keys;
    this.jwksUrls = jwksUrls;
  }

  /**
   * Creates or replaces; two first saves of one name meet at the primary key, the loser retries.
   * The JWKS URL is checked (and its host resolved) before any transaction opens.
   */
  public Uni<Saved> save(
      String clientId, String name, Settings settings, LinksOnIssuerChange links) {
    return checkJwksUrl(settings.jwksUrl())
        .chain(() -> Panache.withTransaction(() -> saveOnce(clientId, name, settings, links)))
        .onFailure(ConstraintViolationException.class)
        .recoverWithUni(
            () -> Panache.withTransaction(() -> saveOnce(clientId, name, settings, links)));
  }

  private Uni<Void> checkJwksUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Uni.createFrom()
          .failure(ApiException.invalidField("jwksUrl", "jwksUrl is not a URL."));
    }
    return jwksUrls
        .address(uri)
        .onFailure(JwksUrlPolicy.Refused.class)
        .transform(e -> ApiException.invalidField("jwksUrl", "jwksUrl " + e.getMessage() + "."))
        .replaceWithVoid();
  }

  private Uni<Saved> saveOnce(
      String clientId, String name, Settings settings, LinksOnIssuerChange onIssuerChange) {
    return ownPartner(clientId)
        .chain(
            partner ->
                links
                    .countNotUnder(partner.id, name, settings.issuer())
                    .chain(
                        others -> {
                          if (others == 0) {
                            return Uni.createFrom().voidItem();
                          }
                          if (onIssuerChange != LinksOnIssuerChange.TRANSFER) {
                            throw linkedUnderAnotherIssuer();
                          }
                          return links
                              .transfer(partner.id, name, settings.issuer())
                              .invoke(
                                  moved ->
                                      LOG.infof(
                                          "Partner %s moved %d links of provider %s to a new"
                                              + " issuer",
                                          clientId, moved, name))
                              .replaceWithVoid();
                        })
                    .chain(() -> providers.findByName(partner.id, name))
                    .chain(
                        existing -> {
                          if (existing != null) {
                            apply(existing, settings);
                            return Uni.createFrom().item(new Saved(existing, false));
                          }
                          IdentityProvider provider = new IdentityProvider();
                          provider.partnerId = partner.id;
                          provider.name = name;
                          apply(provider, settings);
                          return providers.persistAndFlush(provider).map(p -> new Saved(p, true));
                        }));
  }

  private static void apply(IdentityProvider provider, Settings settings) {
    provider.issuer = settings.issuer();
    provider.jwksUrl = settings.jwksUrl();
    provider.audience = settings.audience();
  }

  @WithSession
  public Uni<List<IdentityProvider>> list(String clientId) {
    return ownPartner(clientId).chain(partner -> providers.listByPartner(partner.id));
  }

  @WithSession
  public Uni<IdentityProvider> find(String clientId, String name) {
    return ownPartner(clientId)
        .chain(partner -> providers.findByName(partner.id, name))
        .onItem()
        .ifNull()
        .failWith(ProviderSignInService::unknownProvider);
  }

  /**
   * Users who signed in through the provider keep their links: registering the same name again with
   * the same issuer gives them back their accounts.
   */
  @WithTransaction
  public Uni<Void> remove(String clientId, String name) {
    return ownPartner(clientId)
        .chain(partner -> providers.deleteByName(partner.id, name))
        .invoke(
            deleted -> {
              if (deleted == 0) {
                throw unknownProvider();
              }
            })
        .replaceWithVoid();
  }

  /**
   * Verifies the ID token, then finds or creates its user. No session is held while the provider's
   * keys may be fetched over the network.
   */
  public Uni<UserService.SignedIn> signIn(String clientId, String providerName, String idToken) {
    return Panache.withSession(() -> configured(clientId, providerName))
        .chain(
            provider ->
                verify(provider, idToken).chain(identity -> connect(clientId, provider, identity)));
  }

  private Uni<IdentityProvider> configured(String clientId, String name) {
    return partners
        .findByClientId(clientId)
        .onItem()
        .ifNull()
        .failWith(PartnerService::invalidClient)
        .chain(
            partner ->
                NAME.matcher(name).matches()
                    ? providers.findByName(partner.id, name)
                    : Uni.createFrom().<IdentityProvider>nullItem())
        .onItem()
        .ifNull()
        .failWith(ProviderSignInService::unknownProvider);
  }

  private Uni<Identity> verify(IdentityProvider provider, String idToken) {
    JsonWebStructure header;
    String alg;
    String kid;
    try {
      JwtContext context = headerReader.process(idToken);
      if (context.getJoseObjects().size() != 1
          || !(context.getJoseObjects().get(0) instanceof JsonWebSignature)) {
        return refused(provider, "not a single JWS");
      }
      header = context.getJoseObjects().get(0);
      // Read as objects: a header of the wrong JSON type must be a refusal, not a crash.
      alg = stringHeader(header, "alg");
      kid = stringHeader(header, "kid");
    } catch (InvalidJwtException | RuntimeException e) {
      return refused(provider, "malformed");
    }
    if (alg == null || !ALGORITHMS.contains(alg)) {
      return refused(provider, "algorithm not accepted");
    }
    for (String name : KEY_HEADERS) {
      if (header.getHeaders().getObjectHeaderValue(name) != null) {
        return refused(provider, "key-carrying header " + name);
      }
    }
    if (kid == null || kid.isBlank()) {
      return refused(provider, "no kid");
    }
    return keys.find(provider.jwksUrl, kid, alg)
        .chain(
            key ->
                key.isEmpty()
                    ? refused(provider, "unknown kid")
                    : Uni.createFrom().item(() -> identity(provider, idToken, alg, key.get())));
  }

  private Identity identity(IdentityProvider provider, String idToken, String alg, PublicKey key) {
    JwtConsumer consumer =
        new JwtConsumerBuilder()
            .setVerificationKey(key)
            .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg)
            .setExpectedIssuer(provider.issuer)
            .setExpectedAudience(provider.audience)
            .setRequireExpirationTime()
            .setRequireSubject()
            .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
            .build();
    try {
      JwtClaims claims = consumer.processToClaims(idToken);
      String subject = claims.getSubject();
      if (!USER_ID.matcher(provider.name + ":" + subject).matches()) {
        throw refusal(provider, "subject outside the user-id alphabet");
      }
      return new Identity(subject, namePart(claims, "given_name"), namePart(claims, "family_name"));
    } catch (InvalidJwtException e) {
      // The codes of org.jose4j.jwt.consumer.ErrorCodes; the messages would quote the token.
      throw refusal(
          provider,
          "jose4j error codes "
              + e.getErrorDetails().stream().map(ErrorCodeValidator.Error::getErrorCode).toList());
    } catch (MalformedClaimException e) {
      throw refusal(provider, "malformed claim");
    }
  }

  /**
   * The link decides who the subject is. On first sign-in the user is created (or found, if it
   * exists under its canonical id) and then linked; if another sign-in linked the subject in the
   * meantime, the primary key refuses ours and the retry finds theirs.
   */
  private Uni<UserService.SignedIn> connect(
      String clientId, IdentityProvider provider, Identity identity) {
    AtomicBoolean created = new AtomicBoolean();
    return connectOnce(clientId, provider, identity, created)
        .onFailure(ConstraintViolationException.class)
        .recoverWithUni(() -> connectOnce(clientId, provider, identity, created))
        // The sign-in that created the user says so, even if it lost the race to link it.
        .map(s -> new UserService.SignedIn(s.user(), clientId, s.created() || created.get()));
  }

  private Uni<UserService.SignedIn> connectOnce(
      String clientId, IdentityProvider provider, Identity identity, AtomicBoolean created) {
    return Panache.withSession(
            () ->
                links
                    .findBySubject(provider.partnerId, provider.name, identity.subject())
                    .chain(
                        link -> {
                          if (link == null) {
                            return Uni.createFrom().<User>nullItem();
                          }
                          // Only after a race with a change of issuer: the subject is the old
                          // one's.
                          if (!provider.issuer.equals(link.issuer)) {
                            throw refusal(provider, "subject linked under another issuer");
                          }
                          return userRepository.findById(link.userRef);
                        }))
        .chain(
            linked -> {
              if (linked != null) {
                return Uni.createFrom().item(new UserService.SignedIn(linked, clientId, false));
              }
              return users
                  .signIn(
                      new UserService.SignIn(
                          clientId,
                          provider.name + ":" + identity.subject(),
                          null,
                          null,
                          identity.givenName(),
                          identity.familyName(),
                          null))
                  .invoke(
                      signedIn -> {
                        if (signedIn.created()) {
                          created.set(true);
                        }
                      })
                  .call(signedIn -> link(provider, identity, signedIn.user()));
            });
  }

  private Uni<ProviderLink> link(IdentityProvider provider, Identity identity, User user) {
    ProviderLink link = new ProviderLink();
    link.partnerId = provider.partnerId;
    link.provider = provider.name;
    link.subject = identity.subject();
    link.issuer = provider.issuer;
    link.userRef = user.id;
    return Panache.withTransaction(() -> links.persistAndFlush(link));
  }

  private Uni<Partner> ownPartner(String clientId) {
    return partners
        .findByClientId(clientId)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("No such partner."));
  }

  private static String stringHeader(JsonWebStructure header, String name) {
    Object value = header.getHeaders().getObjectHeaderValue(name);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException("header " + name + " is not a string");
    }
    return (String) value;
  }

  /** Profile names are optional niceties: one that is not a short string is left out. */
  private static String namePart(JwtClaims claims, String claim) {
    if (claims.getClaimValue(claim) instanceof String value
        && !value.isBlank()
        && value.strip().length() <= MAX_NAME_PART_CHARS) {
      return value.strip();
    }
    return null;
  }

  private static <T> Uni<T> refused(IdentityProvider provider, String reason) {
    return Uni.createFrom().failure(refusal(provider, reason));
  }

  /** One answer for every reason, so a forger learns nothing; the reason goes to the log. */
  private static ApiException refusal(IdentityProvider provider, String reason) {
    LOG.debugf("ID token for provider %s refused: %s", provider.name, reason);
    return new ApiException(401, "INVALID_ID_TOKEN", "The ID token is not valid.");
  }

  private static ApiException linkedUnderAnotherIssuer() {
    return ApiException.conflict(
        "IDENTITY_PROVIDER_HAS_LINKS",
        "Users signed in through this provider under another issuer. Repeat with"
            + " ?links=transfer if the new issuer is the same identity authority (its subjects are"
            + " the same people), or register the new issuer under another name.");
  }

  private static ApiException unknownProvider() {
    return ApiException.notFound("No such identity provider.");
  }
}
