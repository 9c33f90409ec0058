package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.serverToken;
import static com.rewards.auth.ProviderFixtures.AUDIENCE;
import static com.rewards.auth.ProviderFixtures.putProvider;
import static com.rewards.auth.ProviderFixtures.settings;
import static com.rewards.auth.ProviderFixtures.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rewards.auth.AuthFixtures.Partner;
import com.rewards.auth.LocalOidcProvider.Issuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A provider's subjects are identities only within their issuer (issue 10): pointing a provider
 * with linked users at another issuer must not hand those users to whoever runs it.
 */
@QuarkusTest
class ProviderIssuerChangeTest {
  private static LocalOidcProvider oidc;

  @Inject AgroalDataSource db;

  @BeforeAll
  static void start() throws Exception {
    oidc = LocalOidcProvider.start();
  }

  @AfterAll
  static void stop() {
    if (oidc != null) {
      oidc.close();
    }
  }

  private record Setup(Partner partner, String server, String name, Issuer original) {
    Response signInWith(Issuer issuer, String subject) {
      return signIn(partner.clientId(), name, issuer.idToken(issuer.claims(AUDIENCE, subject)));
    }

    Response put(Issuer issuer, String links) {
      return putProvider(server, name, settings(issuer.issuer(), issuer.jwksUrl()), links);
    }
  }

  /** A provider through which {@code victim} has signed in once. */
  private static Setup linked() {
    Partner partner = newPartner();
    String server = serverToken(partner);
    Issuer original = oidc.newIssuer(LocalOidcProvider.rsaKey("rsa-1"));
    String name = "p-" + UUID.randomUUID().toString().substring(0, 8);
    Setup s = new Setup(partner, server, name, original);
    s.put(original, null).then().statusCode(201);
    s.signInWith(original, "victim").then().statusCode(200).body("user.created", equalTo(true));
    return s;
  }

  private static void assertLinkConflict(Response response) {
    assertEquals(409, response.statusCode());
    response
        .then()
        .contentType("application/problem+json")
        .body("code", equalTo("IDENTITY_PROVIDER_HAS_LINKS"));
  }

  @Test
  void anotherIssuerIsRefusedWhileUsersAreLinkedUnderTheFirst() {
    Setup s = linked();
    Issuer other = oidc.newIssuer(LocalOidcProvider.rsaKey("rsa-1"));

    assertLinkConflict(s.put(other, null));
    given()
        .auth()
        .oauth2(s.server())
        .get("/manage/v1/identity-providers/" + s.name())
        .then()
        .statusCode(200)
        .body("issuer", equalTo(s.original().issuer()));
    s.signInWith(other, "victim").then().statusCode(401);
    s.signInWith(s.original(), "victim")
        .then()
        .statusCode(200)
        .body("user.id", equalTo(s.name() + ":victim"))
        .body("user.created", equalTo(false));

    // Settings that keep the issuer are not a change of authority.
    Issuer sameIssuerNewKeys = oidc.newIssuer(LocalOidcProvider.rsaKey("rsa-2"));
    putProvider(
            s.server(),
            s.name(),
            settings(s.original().issuer(), sameIssuerNewKeys.jwksUrl()),
            null)
        .then()
        .statusCode(200);
    s.put(s.original(), null).then().statusCode(200);

    s.put(other, "drop")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("links"));
  }

  /** Removing the provider and registering the name again is the same change. */
  @Test
  void reRegisteringTheNameWithAnotherIssuerIsRefusedToo() {
    Setup s = linked();
    Issuer other = oidc.newIssuer(LocalOidcProvider.rsaKey("rsa-1"));
    given()
        .auth()
        .oauth2(s.server())
        .delete("/manage/v1/identity-providers/" + s.name())
        .then()
        .statusCode(204);

    assertLinkConflict(s.put(other, null));
    s.signInWith(other, "victim").then().statusCode(404);

    // The same issuer again gets its users back.
    s.put(s.original(), null).then().statusCode(201);
    s.signInWith(s.original(), "victim")
        .then()
        .statusCode(200)
        .body("user.id", equalTo(s.name() + ":victim"))
        .body("user.created", equalTo(false));
  }

  /** The partner says the new issuer is the same authority: the links move, and only they. */
  @Test
  void linksMoveToTheNewIssuerOnlyWhenAskedTo() {
    Setup s = linked();
    Issuer renamed = oidc.newIssuer(LocalOidcProvider.rsaKey("rsa-1"));

    s.put(renamed, "transfer").then().statusCode(200).body("issuer", equalTo(renamed.issuer()));
    s.signInWith(renamed, "victim")
        .then()
        .statusCode(200)
        .body("user.id", equalTo(s.name() + ":victim"))
        .body("user.created", equalTo(false));
    s.signInWith(s.original(), "victim").then().statusCode(401);
  }

  @Test
  void aProviderWithoutLinkedUsersMayChangeItsIssuer() {
    Partner partner = newPartner();
    String server = serverToken(partner);
    Issuer first = oidc.newIssuer(LocalOidcProvider.rsaKey("rsa-1"));
    Issuer second = oidc.newIssuer(LocalOidcProvider.rsaKey("rsa-1"));
    String name = "p-" + UUID.randomUUID().toString().substring(0, 8);
    putProvider(server, name, settings(first.issuer(), first.jwksUrl())).then().statusCode(201);
    putProvider(server, name, settings(second.issuer(), second.jwksUrl())).then().statusCode(200);
    signIn(partner.clientId(), name, second.idToken(second.claims(AUDIENCE, "new")))
        .then()
        .statusCode(200)
        .body("user.created", equalTo(true));
  }

  /**
   * A link made under another issuer than the provider's (a sign-in racing a change of issuer) does
   * not sign in: the link records who vouched for the subject.
   */
  @Test
  void aLinkRecordedUnderAnotherIssuerDoesNotSignIn() throws Exception {
    Setup s = linked();
    try (var c = db.getConnection();
        var update =
            c.prepareStatement(
                "update provider_links set issuer = 'https://old.example' where provider = ?"
                    + " and partner_id = (select id from partners where client_id = ?)")) {
      update.setString(1, s.name());
      update.setString(2, s.partner().clientId());
      assertEquals(1, update.executeUpdate());
    }
    s.signInWith(s.original(), "victim")
        .then()
        .statusCode(401)
        .body("code", equalTo("INVALID_ID_TOKEN"));
  }
}
