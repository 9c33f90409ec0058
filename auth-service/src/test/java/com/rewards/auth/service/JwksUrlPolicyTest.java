package com.rewards.auth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The address rules on their own, with the production defaults and a resolver of our own. */
class JwksUrlPolicyTest {
  /** Names map to the listed addresses; literals resolve as they are. */
  private static HostResolver dns(Map<String, List<String>> names) {
    return new HostResolver(null) {
      @Override
      public Uni<List<InetAddress>> resolve(String host) {
        try {
          List<InetAddress> addresses = new ArrayList<>();
          for (String a : names.getOrDefault(host, List.of(host))) {
            addresses.add(InetAddress.getByName(a));
          }
          return Uni.createFrom().item(addresses);
        } catch (UnknownHostException e) {
          return Uni.createFrom().failure(e);
        }
      }
    };
  }

  private static JwksUrlPolicy production(Map<String, List<String>> names) {
    return new JwksUrlPolicy(false, Optional.empty(), dns(names));
  }

  private static InetAddress address(JwksUrlPolicy policy, String url) {
    return policy.address(URI.create(url)).await().indefinitely();
  }

  private static String refusal(JwksUrlPolicy policy, String url) {
    return assertThrows(JwksUrlPolicy.Refused.class, () -> address(policy, url), url).getMessage();
  }

  @Test
  void productionTakesHttpsToPublicAddressesOnly() throws Exception {
    JwksUrlPolicy policy =
        production(
            Map.of(
                "idp.example", List.of("93.184.215.14", "2606:4700::1111"),
                "split.example", List.of("93.184.215.14", "10.1.2.3"),
                "metadata.google.internal", List.of("169.254.169.254")));
    assertEquals(
        InetAddress.getByName("93.184.215.14"), address(policy, "https://idp.example/jwks"));
    assertEquals(
        InetAddress.getByName("2606:4700::1111"), address(policy, "https://[2606:4700::1111]/k"));

    assertEquals("must be an https URL", refusal(policy, "http://idp.example/jwks"));
    assertEquals(
        "must not carry a user name or password", refusal(policy, "https://u@idp.example"));
    String notPublic = "must name a host that resolves to public addresses only";
    // One non-public address among public ones is enough: the client may pick any of them.
    assertEquals(notPublic, refusal(policy, "https://split.example/jwks"));
    assertEquals(notPublic, refusal(policy, "https://metadata.google.internal/"));
    assertEquals(notPublic, refusal(policy, "https://unknown.invalid/"));
    for (String host :
        List.of(
            "0.0.0.0",
            "10.0.0.1",
            "100.64.0.1",
            "100.100.100.200",
            "127.0.0.1",
            "169.254.169.254",
            "172.31.255.255",
            "192.168.0.1",
            "198.18.0.1",
            "224.0.0.251",
            "255.255.255.255",
            "[::]",
            "[::1]",
            "[::ffff:10.0.0.1]",
            "[64:ff9b::a00:1]",
            "[2002:a00:1::]",
            "[fd00:ec2::254]",
            "[fe80::1]",
            "[ff02::1]")) {
      assertEquals(notPublic, refusal(policy, "https://" + host + "/jwks"), host);
    }
  }

  @Test
  void configuredNetworksAreLetThroughAndNothingElse() throws Exception {
    JwksUrlPolicy policy =
        new JwksUrlPolicy(true, Optional.of(List.of("127.0.0.1/32", "::1/128")), dns(Map.of()));
    assertEquals(InetAddress.getByName("127.0.0.1"), address(policy, "http://127.0.0.1:8080/jwks"));
    assertEquals(InetAddress.getByName("::1"), address(policy, "http://[::1]:8080/jwks"));
    refusal(policy, "http://127.0.0.2:8080/jwks");
    refusal(policy, "http://169.254.169.254/");
    assertEquals("must be an http(s) URL", refusal(policy, "ftp://127.0.0.1/jwks"));
  }

  @Test
  void networksAreLiteralsWithAPrefix() {
    for (String bad : List.of("localhost", "10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0/8")) {
      assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(bad), bad);
    }
  }
}
