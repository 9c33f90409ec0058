package com.rewards.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A stand-in OpenID provider for tests: serves each issuer's JWKS over HTTP on 127.0.0.1 (random
 * port) or another local address, counts the fetches, and mints ID tokens, well-formed or
 * deliberately not. An issuer can also misbehave the way a hostile JWKS host would.
 */
final class LocalOidcProvider implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;
  private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger();

  private LocalOidcProvider(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  static LocalOidcProvider start() throws IOException {
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** On this address and port (0: any free port). */
  static LocalOidcProvider start(InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    // One thread per request: a trickling answer must not hold up the others.
    ExecutorService threads = Executors.newCachedThreadPool();
    server.setExecutor(threads);
    LocalOidcProvider provider = new LocalOidcProvider(server, threads);
    server.createContext("/", provider::handle);
    server.start();
    return provider;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** An issuer publishing {@code key}; each has its own JWKS URL, so caches never overlap. */
  Issuer newIssuer(PublicJsonWebKey key) {
    return newIssuer(key, "i" + nextId.incrementAndGet());
  }

  /** One under this id: {@code /issuers/{id}/jwks}, the same path on every instance. */
  Issuer newIssuer(PublicJsonWebKey key, String id) {
    InetSocketAddress address = server.getAddress();
    Issuer issuer =
        new Issuer(
            "http://"
                + address.getAddress().getHostAddress()
                + ":"
                + address.getPort()
                + "/issuers/"
                + id,
            List.of(key));
    issuers.put(id, issuer);
    return issuer;
  }

  static PublicJsonWebKey rsaKey(String kid) {
    try {
      PublicJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
      key.setKeyId(kid);
      key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
      key.setUse("sig");
      return key;
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  static PublicJsonWebKey ecKey(String kid) {
    try {
      PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
      key.setKeyId(kid);
      key.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
      key.setUse("sig");
      return key;
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Signs without any of jose4j's safety checks, so tests can forge what an attacker would: {@code
   * none}, HMAC keyed with public bytes, key-carrying headers.
   */
  static String sign(JwtClaims claims, Key key, String alg, String kid) {
    return sign(claims, key, alg, kid, jws -> {});
  }

  static String sign(
      JwtClaims claims, Key key, String alg, String kid, Consumer<JsonWebSignature> headers) {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(alg);
    jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
    jws.setDoKeyValidation(false);
    if (key != null) {
      jws.setKey(key);
    }
    if (kid != null) {
      jws.setKeyIdHeaderValue(kid);
    }
    headers.accept(jws);
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] parts = exchange.getRequestURI().getPath().split("/");
      Issuer issuer = parts.length == 4 ? issuers.get(parts[2]) : null;
      if (issuer == null || !"jwks".equals(parts[3])) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      issuer.fetches.incrementAndGet();
      issuer.lastHostHeader = exchange.getRequestHeaders().getFirst("Host");
      if (issuer.redirectTo != null) {
        exchange.getResponseHeaders().set("Location", issuer.redirectTo);
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      if (issuer.trickle) {
        trickle(exchange);
        return;
      }
      StringBuilder json = new StringBuilder(issuer.jwks());
      // Trailing blanks keep it a valid JWKS of the wanted size.
      json.append(" ".repeat(Math.max(0, issuer.padTo - json.length())));
      byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, issuer.chunked ? 0 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** A valid JWKS, one byte every 200 ms: never idle long, never done soon. */
  private static void trickle(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    try {
      for (int i = 0; i < 150; i++) {
        out.write(i == 0 ? '{' : ' ');
        out.flush();
        Thread.sleep(200);
      }
      out.write("\"keys\":[]}".getBytes(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client hung up: what a timeout looks like from here.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  static final class Issuer {
    private final String url;
    private final List<PublicJsonWebKey> published;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile String lastHostHeader;
    private volatile String redirectTo;
    private volatile boolean trickle;
    private volatile boolean chunked;
    private volatile int padTo;

    private Issuer(String url, List<PublicJsonWebKey> keys) {
      this.url = url;
      this.published = new CopyOnWriteArrayList<>(keys);
    }

    String issuer() {
      return url;
    }

    String jwksUrl() {
      return url + "/jwks";
    }

    /** The key that signs by default: the first one published. */
    PublicJsonWebKey key() {
      return published.get(0);
    }

    /** A rotation: the JWKS lists this key too from now on. */
    void publish(PublicJsonWebKey key) {
      published.add(key);
    }

    int fetches() {
      return fetches.get();
    }

    /** The Host header of the latest JWKS request. */
    String lastHostHeader() {
      return lastHostHeader;
    }

    /** Answers the JWKS request with a 302 to {@code location}. */
    Issuer redirectingTo(String location) {
      redirectTo = location;
      return this;
    }

    /** Answers the JWKS request slowly, a byte at a time. */
    Issuer trickling() {
      trickle = true;
      return this;
    }

    /** Serves the JWKS padded to {@code bytes}, with a Content-Length or chunked. */
    Issuer paddedTo(int bytes, boolean withoutLength) {
      padTo = bytes;
      chunked = withoutLength;
      return this;
    }

    /** What a provider puts in an ID token: valid for ten minutes from now. */
    JwtClaims claims(String audience, String subject) {
      JwtClaims claims = new JwtClaims();
      claims.setIssuer(url);
      claims.setAudience(audience);
      claims.setSubject(subject);
      claims.setIssuedAtToNow();
      claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 600));
      return claims;
    }

    String idToken(JwtClaims claims) {
      return signWith(key(), claims);
    }

    String signWith(PublicJsonWebKey key, JwtClaims claims) {
      return sign(claims, key.getPrivateKey(), key.getAlgorithm(), key.getKeyId());
    }

    private String jwks() {
      return new JsonWebKeySet(List.copyOf(published))
          .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }
  }
}
