package com.rewards.suite;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret the suite tests create or learn (client secrets, server and user tokens, API keys,
 * client-JWT secrets, passwords), so that {@link ZzLogScanTest} can search the logs for each one
 * literally after all the other tests ran.
 */
final class Secrets {
  private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

  private Secrets() {}

  /** Remembers a secret and returns it. Short values are ignored: they'd match by chance. */
  static String remember(String secret) {
    if (secret != null && secret.length() >= 12) {
      KNOWN.add(secret);
    }
    return secret;
  }

  static List<String> all() {
    return List.copyOf(KNOWN);
  }
}
