package com.rewards.auth;

import static com.rewards.auth.AuthFixtures.newPartner;
import static com.rewards.auth.AuthFixtures.newUserId;
import static com.rewards.auth.AuthFixtures.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.rewards.platform.security.SecretSealer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a token can be wrong gets a 401 problem, and a correct forgery proves the set-up. */
@QuarkusTest
class TokenAttacksTest {
  @Inject AgroalDataSource db;
  @Inject SecretSealer sealer;

  AuthFixtures.Partner partner;
  String userId;
  ForgedTokens forge;

  @BeforeEach
  void setUp() throws Exception {
    partner = newPartner();
    userId = newUserId();
    userToken(partner, userId);
    forge = new ForgedTokens(db, sealer);
  }

  private static void refused(String token) {
    given()
        .auth()
        .oauth2(token)
        .get("/api/users/isLogged")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", equalTo("UNAUTHORIZED"));
    given()
        .header("user-jwt-token", token)
        .get("/fe/users/account/linked-mobile-number")
        .then()
        .statusCode(401);
  }

  private JwtClaims claims() {
    return ForgedTokens.userClaims(partner.clientId(), userId);
  }

  @Test
  void aCorrectlySignedTokenIsAccepted() throws Exception {
    given()
        .auth()
        .oauth2(forge.sign(claims()))
        .get("/api/users/isLogged")
        .then()
        .statusCode(200)
        .body("user.id", equalTo(userId));
  }

  @Test
  void algNone() throws Exception {
    refused(ForgedTokens.unsigned(Map.of("alg", "none", "kid", forge.kid), claims()));
  }

  @Test
  void hs256SignedWithThePublicKey() throws Exception {
    String jwks = given().get("/.well-known/jwks.json").then().extract().asString();
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims().toJson());
    jws.setKey(new HmacKey(jwks.getBytes(StandardCharsets.UTF_8)));
    jws.setKeyIdHeaderValue(forge.kid);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
    jws.setDoKeyValidation(false);
    refused(jws.getCompactSerialization());
  }

  @Test
  void unknownKidAndForeignKey() throws Exception {
    refused(ForgedTokens.signedByStranger(claims(), "unknown-kid"));
    refused(ForgedTokens.signedByStranger(claims(), forge.kid));
  }

  @Test
  void keyCarryingHeaders() throws Exception {
    refused(forge.sign(claims(), jws -> jws.setHeader("jku", "https://evil.example/jwks.json")));
    refused(forge.sign(claims(), jws -> jws.setHeader("x5u", "https://evil.example/cert.pem")));
  }

  @Test
  void headersOfTheWrongJsonType() throws Exception {
    refused(ForgedTokens.unsigned(Map.of("alg", "ES256", "kid", 7), claims()));
    refused(ForgedTokens.unsigned(Map.of("alg", 256, "kid", forge.kid), claims()));
    refused(
        ForgedTokens.unsigned(
            Map.of("alg", "ES256", "kid", forge.kid, "x5c", java.util.List.of("MIIB")), claims()));
    refused(
        ForgedTokens.unsigned(
            Map.of("alg", "ES256", "kid", forge.kid, "jwk", Map.of("kty", "EC")), claims()));
  }

  @Test
  void expiredBeyondTheSkew() throws Exception {
    JwtClaims expired = claims();
    long now = Instant.now().getEpochSecond();
    expired.setIssuedAt(NumericDate.fromSeconds(now - 3600));
    expired.setExpirationTime(NumericDate.fromSeconds(now - 61));
    refused(forge.sign(expired));
  }

  @Test
  void notYetValid() throws Exception {
    JwtClaims future = claims();
    future.setNotBefore(NumericDate.fromSeconds(Instant.now().getEpochSecond() + 600));
    refused(forge.sign(future));
  }

  @Test
  void wrongIssuerOrAudience() throws Exception {
    JwtClaims issuer = claims();
    issuer.setIssuer("https://evil.example");
    refused(forge.sign(issuer));
    JwtClaims audience = claims();
    audience.setAudience("another-api");
    refused(forge.sign(audience));
  }

  @Test
  void missingOrUnknownClaims() throws Exception {
    JwtClaims noExp = claims();
    noExp.unsetClaim("exp");
    refused(forge.sign(noExp));
    JwtClaims use = claims();
    use.setStringClaim("token_use", "admin");
    refused(forge.sign(use));
    JwtClaims otherPartner = claims();
    otherPartner.setStringClaim("client_id", "no-such-partner");
    refused(forge.sign(otherPartner));
  }

  @Test
  void garbage() {
    refused("not-a-jwt");
    refused("a.b.c");
  }
}
