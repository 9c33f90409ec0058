package com.rewards.suite;

import io.restassured.specification.RequestSpecification;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Requests through the gateway as a fresh client each time. The gateway limits each client address
 * (50 r/s, burst 100) and trusts X-Forwarded-For from loopback (gateway/nginx.conf, as bench/ uses
 * it); the reliability tests send many requests and share the machine with other users of the
 * suite, so each request presents its own client address unless a test means to be one client
 * (LimitsTest's flood).
 */
final class Net {
  private Net() {}

  /** A random client address in 10.0.0.0/8 (never a real peer here). */
  static String freshIp() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  static RequestSpecification gw() {
    return Suite.gateway().header("X-Forwarded-For", freshIp());
  }

  static RequestSpecification bearer(String token) {
    return gw().header("Authorization", "Bearer " + token);
  }
}
