package com.rewards.auth.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One GET of a partner's JWKS URL, on the terms of {@link JwksUrlPolicy}: connects to the address
 * the policy checked (name resolution happens there, never again in the HTTP client), follows no
 * redirect, reads at most {@link #MAX_BYTES}, and gives up after the configured time in total, so a
 * server that trickles its answer cannot hold the fetch open either.
 */
@ApplicationScoped
public class JwksFetcher {
  /** Real key sets are a few KiB; this leaves room for many keys and nothing like a dump. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Why a fetch failed; for the log, never shown to a client. */
  public static final class Failed extends RuntimeException {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  private final io.vertx.core.Vertx vertx;
  private final JwksUrlPolicy policy;
  private final HttpClient client;
  private final long timeoutMillis;

  public JwksFetcher(
      Vertx vertx,
      JwksUrlPolicy policy,
      @ConfigProperty(name = "rewards.auth.identity-providers.jwks.connect-timeout")
          Duration connectTimeout,
      @ConfigProperty(name = "rewards.auth.identity-providers.jwks.timeout") Duration timeout) {
    this.vertx = vertx.getDelegate();
    this.policy = policy;
    this.timeoutMillis = timeout.toMillis();
    // No keep-alive: fetches are rare, and a pooled connection would outlive the address check.
    this.client =
        this.vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(false)
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setVerifyHost(true)
                .setDecompressionSupported(false));
  }

  /** The body of a 200 answer, or a failure: {@link JwksUrlPolicy.Refused} or {@link Failed}. */
  public Uni<String> fetch(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return Uni.createFrom().failure(new JwksUrlPolicy.Refused("is not a URL"));
    }
    return policy.address(uri).chain(address -> get(uri, address));
  }

  private Uni<String> get(URI url, InetAddress address) {
    boolean ssl = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() != -1 ? url.getPort() : ssl ? 443 : 80;
    InetAddress bare;
    try {
      // Without its name, so nothing downstream can look the name up again.
      bare = InetAddress.getByAddress(address.getAddress());
    } catch (UnknownHostException e) {
      return Uni.createFrom().failure(new Failed("bad address"));
    }
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(bare, port)))
            // Host header, TLS server name and certificate check all use the URL's host.
            .setHost(url.getHost())
            .setPort(port)
            .setSsl(ssl)
            .setURI(url.getRawQuery() == null ? path : path + "?" + url.getRawQuery())
            .setFollowRedirects(false)
            .setIdleTimeout(timeoutMillis)
            .putHeader(HttpHeaders.ACCEPT, "application/jwk-set+json, application/json")
            .putHeader(HttpHeaders.USER_AGENT, "rewards-auth-service");
    return Uni.createFrom().emitter(emitter -> send(options, emitter::complete, emitter::fail));
  }

  private void send(RequestOptions options, Consumer<String> done, Consumer<Throwable> failed) {
    AtomicBoolean settled = new AtomicBoolean();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long[] timer = new long[1];
    Consumer<Throwable> fail =
        e -> {
          if (settled.compareAndSet(false, true)) {
            vertx.cancelTimer(timer[0]);
            HttpClientRequest request = sent.get();
            if (request != null) {
              request.reset();
            }
            failed.accept(e instanceof Failed ? e : new Failed(e.toString()));
          }
        };
    timer[0] =
        vertx.setTimer(
            timeoutMillis,
            id -> fail.accept(new Failed("no complete answer within " + timeoutMillis + " ms")));
    client
        .request(options)
        .onFailure(fail::accept)
        .onSuccess(
            request -> {
              sent.set(request);
              if (settled.get()) {
                request.reset();
                return;
              }
              request
                  .send()
                  .onFailure(fail::accept)
                  .onSuccess(
                      response ->
                          read(
                              response,
                              fail,
                              body -> {
                                if (settled.compareAndSet(false, true)) {
                                  vertx.cancelTimer(timer[0]);
                                  done.accept(body);
                                }
                              }));
            });
  }

  private static void read(
      HttpClientResponse response, Consumer<Throwable> fail, Consumer<String> done) {
    // First, so the reset that ends a refused answer lands here and not in Vert.x's error log.
    response.exceptionHandler(fail::accept);
    if (response.statusCode() != 200) {
      // A 3xx too: redirects are not followed, the partner configures the final URL.
      fail.accept(new Failed("HTTP " + response.statusCode()));
      return;
    }
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && !withinLimit(length)) {
      fail.accept(new Failed("Content-Length " + length + " over " + MAX_BYTES + " bytes"));
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(
        chunk -> {
          if (body.length() + chunk.length() > MAX_BYTES) {
            fail.accept(new Failed("body over " + MAX_BYTES + " bytes"));
          } else {
            body.appendBuffer(chunk);
          }
        });
    response.endHandler(ignored -> done.accept(body.toString(StandardCharsets.UTF_8)));
  }

  private static boolean withinLimit(String contentLength) {
    try {
      return Long.parseLong(contentLength.strip()) <= MAX_BYTES;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
