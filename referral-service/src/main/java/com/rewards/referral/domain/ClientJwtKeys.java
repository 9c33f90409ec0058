package com.rewards.referral.domain;

import com.rewards.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * The key material a partner registers for its client JWTs (document 001): an HS256 secret (the
 * UTF-8 bytes of the string, as common JWT libraries use it) or an RS256/ES256 public key in PEM.
 */
public final class ClientJwtKeys {
  public static final String HS256 = "HS256";
  public static final String RS256 = "RS256";
  public static final String ES256 = "ES256";
  public static final Set<String> ALGORITHMS = Set.of(HS256, RS256, ES256);

  /** RFC 7518: an HS256 key must be at least as long as the hash, 256 bits. */
  public static final int MIN_SECRET_BYTES = 32;

  public static final int MAX_SECRET_BYTES = 512;
  static final int MIN_RSA_BITS = 2048;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ClientJwtKeys() {}

  public static String generateSecret() {
    byte[] raw = new byte[48];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  public static byte[] secretBytes(String secret) {
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  /** Refuses a secret too short for HS256 (400). */
  public static void checkSecret(String secret) {
    int length = secretBytes(secret).length;
    if (length < MIN_SECRET_BYTES || length > MAX_SECRET_BYTES) {
      throw ApiException.badRequest(
          "An HS256 secret must be "
              + MIN_SECRET_BYTES
              + " to "
              + MAX_SECRET_BYTES
              + " bytes long.");
    }
  }

  /**
   * Parses an SPKI PEM public key and checks it fits the algorithm: RSA of 2048 bits or more for
   * RS256, an EC key on P-256 for ES256. Anything else is a 400.
   */
  public static PublicKey parsePublicKey(String algorithm, String pem) {
    PublicKey key;
    try {
      String body =
          pem.replace("-----BEGIN PUBLIC KEY-----", "")
              .replace("-----END PUBLIC KEY-----", "")
              .replaceAll("\\s", "");
      byte[] der = Base64.getDecoder().decode(body);
      key =
          KeyFactory.getInstance(RS256.equals(algorithm) ? "RSA" : "EC")
              .generatePublic(new X509EncodedKeySpec(der));
    } catch (Exception e) {
      throw ApiException.badRequest(
          "publicKeyPem must be a PEM 'PUBLIC KEY' for " + algorithm + ".");
    }
    if (key instanceof RSAPublicKey rsa && RS256.equals(algorithm)) {
      if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
        throw ApiException.badRequest("An RS256 key must have at least 2048 bits.");
      }
      return key;
    }
    if (key instanceof ECPublicKey ec && ES256.equals(algorithm)) {
      if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw ApiException.badRequest("An ES256 key must be on the P-256 curve.");
      }
      return key;
    }
    throw ApiException.badRequest("The key does not fit " + algorithm + ".");
  }
}
