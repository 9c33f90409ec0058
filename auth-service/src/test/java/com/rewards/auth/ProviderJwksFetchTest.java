package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.serverToken;
import static com.rewards.auth.ProviderFixtures.AUDIENCE;
import static com.rewards.auth.ProviderFixtures.putProvider;
import static com.rewards.auth.ProviderFixtures.settings;
import static com.rewards.auth.ProviderFixtures.signIn;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rewards.auth.AuthFixtures.Partner;
import com.rewards.auth.LocalOidcProvider.Issuer;
import com.rewards.auth.service.HostResolver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JWKS fetch as an SSRF target (issue 10): where it may go, how much it reads, how long it
 * waits. The %test profile lets it reach 127.0.0.1 (the stand-in provider) and nothing else local;
 * a second stand-in on 127.0.0.2, the same port, plays a service inside the network.
 */
@QuarkusTest
class ProviderJwksFetchTest {
  private static final String NOT_PUBLIC =
      "jwksUrl must name a host that resolves to public addresses only.";
  private static LocalOidcProvider outside;
  private static LocalOidcProvider inside;
  private static InetAddress insideAddress;

  @Inject AgroalDataSource db;

  @BeforeAll
  static void start() throws Exception {
    outside = LocalOidcProvider.start();
    insideAddress = InetAddress.getByName("127.0.0.2");
    inside = LocalOidcProvider.start(new InetSocketAddress(insideAddress, outside.port()));
  }

  @AfterAll
  static void stop() {
    for (LocalOidcProvider p : new LocalOidcProvider[] {outside, inside}) {
      if (p != null) {
        p.close();
      }
    }
  }

  private record Setup(Partner partner, String serverToken) {}

  private static Setup partner() {
    Partner partner = newPartner();
    return new Setup(partner, serverToken(partner));
  }

  private static String newName() {
    return "p-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void assertFieldRefused(Response response, String why) {
    assertEquals(400, response.statusCode(), why);
    response
        .then()
        .contentType("application/problem+json")
        .body("code", equalTo("BAD_REQUEST"))
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo("jwksUrl"));
  }

  private static void assertUnavailable(Response response, String why) {
    assertEquals(503, response.statusCode(), why);
    response
        .then()
        .contentType("application/problem+json")
        .body("code", equalTo("IDENTITY_PROVIDER_UNAVAILABLE"))
        .header("Retry-After", notNullValue());
  }

  @Test
  void jwksUrlsOnNonPublicOrUnknownHostsAreRefusedWhenConfigured() {
    Setup s = partner();
    Issuer internal = inside.newIssuer(LocalOidcProvider.rsaKey("rsa-1"));
    int port = outside.port();
    List<String> refused =
        List.of(
            internal.jwksUrl(),
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://10.0.0.1/jwks",
            "http://172.16.0.1/jwks",
            "http://192.168.1.1/jwks",
            "http://100.100.100.200/jwks",
            "http://0.0.0.0:" + port + "/jwks",
            "http://[::ffff:127.0.0.2]:" + port + "/jwks",
            "http://[fd00:ec2::254]/jwks",
            "http://[fe80::1]/jwks",
            "http://224.0.0.1/jwks",
            "http://no-such-host.invalid/jwks",
            "http://user:secret@127.0.0.1:" + port + "/jwks",
            "ftp://127.0.0.1/jwks");
    for (String url : refused) {
      assertFieldRefused(
          putProvider(s.serverToken(), newName(), settings("https://issuer.example", url)), url);
    }
    assertEquals(0, internal.fetches(), "nothing was fetched from inside");
    putProvider(
            s.serverToken(),
            newName(),
            settings("https://issuer.example", "http://169.254.169.254/latest/meta-data/"))
        .then()
        .statusCode(400)
        .body("detail", equalTo(NOT_PUBLIC))
        .body("errors[0].message", equalTo(NOT_PUBLIC));
    // The control: the allowed stand-in on 127.0.0.1 is accepted.
    Issuer allowed = outside.newIssuer(LocalOidcProvider.rsaKey("rsa-1"));
    putProvider(s.serverToken(), newName(), settings(allowed.issuer(), allowed.jwksUrl()))
        .then()
        .statusCode(201);
  }

  /** Rows saved before the check, or under laxer settings, are checked again on every fetch. */
  @Test
  void aNonPublicJwksUrlAlreadyStoredIsNotFetchedAtSignIn() throws Exception {
    Setup s = partner();
    PublicJsonWebKey key = LocalOidcProvider.rsaKey("rsa-1");
    Issuer internal = inside.newIssuer(key);
    String name = newName();
    try (var c = db.getConnection();
        var insert =
            c.prepareStatement(
                "insert into identity_providers (partner_id, name, issuer, jwks_url, audience)"
                    + " select id, ?, ?, ?, ? from partners where client_id = ?")) {
      insert.setString(1, name);
      insert.setString(2, internal.issuer());
      insert.setString(3, internal.jwksUrl());
      insert.setString(4, AUDIENCE);
      insert.setString(5, s.partner().clientId());
      assertEquals(1, insert.executeUpdate());
    }
    assertUnavailable(
        signIn(s.partner().clientId(), name, internal.idToken(internal.claims(AUDIENCE, "x"))),
        "JWKS inside the network");
    assertEquals(0, internal.fetches(), "the request never left");
  }

  /** Answers chosen by the test for made-up names; literals resolve as they are. */
  static final class FakeDns extends HostResolver {
    final Map<String, InetAddress> answers = new ConcurrentHashMap<>();

    FakeDns() {
      super(null);
    }

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
      InetAddress answer = answers.get(host);
      if (answer != null) {
        return Uni.createFrom().item(List.of(answer));
      }
      try {
        return Uni.createFrom().item(List.of(InetAddress.getAllByName(host)));
      } catch (UnknownHostException e) {
        return Uni.createFrom().failure(e);
      }
    }
  }

  /**
   * The fetch goes to the address that was checked, not to a second lookup of the name: the name
   * exists only in the fake resolver, so any other lookup would fail.
   */
  @Test
  void theFetchConnectsToTheCheckedAddressAndNamesTheHost() throws Exception {
    FakeDns dns = new FakeDns();
    QuarkusMock.installMockForType(dns, HostResolver.class);
    dns.answers.put("jwks.pinned.test", InetAddress.getByName("127.0.0.1"));
    Setup s = partner();
    Issuer issuer = outside.newIssuer(LocalOidcProvider.rsaKey("rsa-1"));
    String url = issuer.jwksUrl().replace("127.0.0.1", "jwks.pinned.test");
    String name = newName();
    putProvider(s.serverToken(), name, settings(issuer.issuer(), url)).then().statusCode(201);

    signIn(s.partner().clientId(), name, issuer.idToken(issuer.claims(AUDIENCE, "pinned")))
        .then()
        .statusCode(200)
        .body("user.id", equalTo(name + ":pinned"));
    assertEquals("jwks.pinned.test:" + outside.port(), issuer.lastHostHeader());
  }

  /** DNS rebinding: public when configured, internal when fetched. */
  @Test
  void aNameThatResolvesInsideAtFetchTimeIsRefused() throws Exception {
    FakeDns dns = new FakeDns();
    QuarkusMock.installMockForType(dns, HostResolver.class);
    dns.answers.put("jwks.rebound.test", InetAddress.getByName("127.0.0.1"));
    PublicJsonWebKey key = LocalOidcProvider.rsaKey("rsa-1");
    String id = "rebound-" + UUID.randomUUID();
    Issuer public_ = outside.newIssuer(key, id);
    Issuer internal = inside.newIssuer(key, id);
    Setup s = partner();
    String name = newName();
    String url = public_.jwksUrl().replace("127.0.0.1", "jwks.rebound.test");
    putProvider(s.serverToken(), name, settings(public_.issuer(), url)).then().statusCode(201);

    dns.answers.put("jwks.rebound.test", insideAddress);
    assertUnavailable(
        signIn(s.partner().clientId(), name, public_.idToken(public_.claims(AUDIENCE, "x"))),
        "rebound to 127.0.0.2");
    assertEquals(0, internal.fetches(), "nothing was fetched from inside");
    assertEquals(0, public_.fetches(), "nor from the old address");
  }

  @Test
  void keySetsOver64KiBAreNotRead() {
    Setup s = partner();
    PublicJsonWebKey key = LocalOidcProvider.rsaKey("rsa-1");
    Issuer declared = outside.newIssuer(key).paddedTo(64 * 1024 + 1, false);
    Issuer streamed = outside.newIssuer(key).paddedTo(1024 * 1024, true);
    Issuer fits = outside.newIssuer(key).paddedTo(60 * 1024, true);
    assertUnavailable(register(s, declared, "declared"), "Content-Length over the cap");
    assertUnavailable(register(s, streamed, "streamed"), "chunked body over the cap");
    register(s, fits, "fits").then().statusCode(200);
  }

  /** Registers the issuer under {@code name} and signs a user in through it. */
  private static Response register(Setup s, Issuer issuer, String name) {
    putProvider(s.serverToken(), name, settings(issuer.issuer(), issuer.jwksUrl()))
        .then()
        .statusCode(201);
    return signIn(s.partner().clientId(), name, issuer.idToken(issuer.claims(AUDIENCE, "x")));
  }

  @Test
  void redirectsAreNotFollowed() {
    Setup s = partner();
    PublicJsonWebKey key = LocalOidcProvider.rsaKey("rsa-1");
    Issuer target = outside.newIssuer(key);
    Issuer redirecting = outside.newIssuer(key).redirectingTo(target.jwksUrl());
    assertUnavailable(register(s, redirecting, "redirecting"), "302 to a valid JWKS");
    assertEquals(1, redirecting.fetches());
    assertEquals(0, target.fetches(), "the redirect was not followed");
  }

  @Test
  void aTrickledAnswerIsCutOffAtTheTimeout() {
    Setup s = partner();
    Issuer slow = outside.newIssuer(LocalOidcProvider.rsaKey("rsa-1")).trickling();
    long started = System.nanoTime();
    Response response = register(s, slow, "trickling");
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    assertUnavailable(response, "trickled JWKS");
    // %test keeps the 5 s default; the trickle alone would take 30 s.
    assertTrue(seconds < 12, "answered after " + seconds + " s");
  }
}
