package com.rewards.auth.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where auth-service may fetch a partner's JWKS from. The URL comes from a partner, so without this
 * the fetch would reach anything auth-service can: cloud metadata, the database, the broker. The
 * host is resolved on every fetch and every address must be public; the fetch then connects to the
 * address checked here, so a DNS answer that changes in between (rebinding) cannot steer it. Local
 * runs and tests widen this by configuration only ({@code allow-http}, {@code allowed-networks}).
 */
@ApplicationScoped
public class JwksUrlPolicy {
  /** Not reachable on the public internet: private, shared, loopback, link-local, reserved. */
  static final List<AddressRange> NON_PUBLIC =
      Stream.of(
              "0.0.0.0/8", // "this" network, 0.0.0.0 reaches the local host
              "10.0.0.0/8",
              "100.64.0.0/10", // carrier-grade NAT (and some clouds' metadata, 100.100.100.200)
              "127.0.0.0/8",
              "169.254.0.0/16", // link-local, incl. the 169.254.169.254 metadata service
              "172.16.0.0/12",
              "192.0.0.0/24",
              "192.0.2.0/24",
              "192.88.99.0/24",
              "192.168.0.0/16",
              "198.18.0.0/15",
              "198.51.100.0/24",
              "203.0.113.0/24",
              "224.0.0.0/4", // multicast
              "240.0.0.0/4", // reserved, incl. broadcast
              "::/96", // unspecified, loopback, IPv4-compatible
              "64:ff9b::/96", // NAT64: would reach IPv4 addresses through a gateway
              "64:ff9b:1::/48",
              "100::/64",
              "2001::/32", // Teredo
              "2001:db8::/32",
              "2002::/16", // 6to4
              "fc00::/7", // unique local, incl. fd00:ec2::254 metadata
              "fe80::/10",
              "fec0::/10",
              "ff00::/8")
          .map(AddressRange::parse)
          .toList();

  /** Why a URL is refused; the message is safe to show to the partner. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final boolean allowHttp;
  private final List<AddressRange> allowed;
  private final HostResolver resolver;

  public JwksUrlPolicy(
      @ConfigProperty(name = "rewards.auth.identity-providers.jwks.allow-http") boolean allowHttp,
      @ConfigProperty(name = "rewards.auth.identity-providers.jwks.allowed-networks")
          Optional<List<String>> allowedNetworks,
      HostResolver resolver) {
    this.allowHttp = allowHttp;
    this.allowed = allowedNetworks.orElse(List.of()).stream().map(AddressRange::parse).toList();
    this.resolver = resolver;
  }

  /** The URL's own faults, found without a lookup. */
  public void checkSyntax(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      throw new Refused(allowHttp ? "must be an http(s) URL" : "must be an https URL");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new Refused("must name a host");
    }
    if (url.getRawUserInfo() != null) {
      throw new Refused("must not carry a user name or password");
    }
  }

  /**
   * The address to connect to: the host's first, provided all of them may be reached. One answer
   * for a name that does not resolve and one that resolves somewhere private, so a partner cannot
   * use this to map internal DNS names.
   */
  public Uni<InetAddress> address(URI url) {
    try {
      checkSyntax(url);
    } catch (Refused e) {
      return Uni.createFrom().failure(e);
    }
    return resolver
        .resolve(url.getHost())
        .onFailure()
        .transform(e -> notPublic())
        .map(
            addresses -> {
              if (addresses.isEmpty() || !addresses.stream().allMatch(this::mayConnect)) {
                throw notPublic();
              }
              return addresses.get(0);
            });
  }

  boolean mayConnect(InetAddress address) {
    return allowed.stream().anyMatch(range -> range.contains(address))
        || NON_PUBLIC.stream().noneMatch(range -> range.contains(address));
  }

  private static Refused notPublic() {
    return new Refused("must name a host that resolves to public addresses only");
  }
}
