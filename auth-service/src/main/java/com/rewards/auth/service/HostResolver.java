package com.rewards.auth.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.List;

/** Looks a host name up (the JVM's resolver: hosts file, then DNS) off the event loop. */
@ApplicationScoped
public class HostResolver {
  private final Vertx vertx;

  public HostResolver(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Every address of the host; a literal IP is returned as it is, without a lookup. */
  public Uni<List<InetAddress>> resolve(String host) {
    // Unordered: lookups of unrelated requests on one event loop need not queue behind each other.
    return vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
  }
}
