package com.rewards.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-made JWTs for the attack tests: any header, any claims, signed with none, HS256 with any
 * bytes, ES256 or RS256 with any private key. Nothing here validates: that is the services' job.
 */
final class Jwt {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jwt() {}

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** The claims of a real token, to copy and alter one at a time. */
  static ObjectNode claimsOf(String token) {
    try {
      return (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode headerOf(String token) {
    try {
      return (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code header.payload.} with an empty signature ({@code alg: none}). */
  static String unsigned(ObjectNode header, ObjectNode claims) {
    return b64(header.toString()) + "." + b64(claims.toString()) + ".";
  }

  static String hs256(ObjectNode header, ObjectNode claims, byte[] key) {
    String input = b64(header.toString()) + "." + b64(claims.toString());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return input
          + "."
          + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** ES256 (JOSE's r||s signature) or RS256, by the key's algorithm. */
  static String signed(ObjectNode header, ObjectNode claims, PrivateKey key) {
    String input = b64(header.toString()) + "." + b64(claims.toString());
    try {
      Signature signature =
          Signature.getInstance(
              key.getAlgorithm().equals("EC") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(java.security.PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** auth-service's active signing key, so valid signatures can carry invalid claims. */
  record SigningKey(String kid, PrivateKey privateKey) {}

  /**
   * Reads auth-service's active signing key from its database and opens it with the local run's
   * key-encryption key (the dev profile's throwaway, or AUTH_KEY_ENCRYPTION_KEY). Only a local
   * suite can be tested this way; elsewhere this answers null and the tests that need it are
   * skipped. It only reads: the key stays auth's, and so does every token check.
   */
  static SigningKey authSigningKey() {
    String kek =
        System.getenv()
            .getOrDefault(
                "AUTH_KEY_ENCRYPTION_KEY", "NGj24yPSuDZbX69o3xNEYuHHMr+E+Z6WZ3UGlJTOKHc=");
    try (Connection db = Suite.database("auth");
        var statement =
            db.prepareStatement(
                "select kid, private_key from signing_keys where retired_at is null"
                    + " order by created_at desc limit 1");
        ResultSet row = statement.executeQuery()) {
      if (!row.next()) {
        return null;
      }
      byte[] all = Base64.getDecoder().decode(row.getString(2));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(Base64.getDecoder().decode(kek), "AES"),
          new GCMParameterSpec(128, all, 0, 12));
      byte[] pkcs8 = cipher.doFinal(all, 12, all.length - 12);
      return new SigningKey(
          row.getString(1),
          KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
    } catch (SQLException | GeneralSecurityException e) {
      return null;
    }
  }
}
