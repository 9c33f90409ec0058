package com.rewards.loyalty;

import com.rewards.platform.rest.RequestIds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * A consumer that exists only in tests, on a topic of its own (so no running loyalty-service shares
 * its records): it notes the request id it sees before and after a database round trip, which
 * resumes on another callback, and logs a line. The channel is attached to Kafka by Quarkus with
 * the channel name as topic.
 */
@ApplicationScoped
public class RequestIdProbe {
  static final String TOPIC = "loyalty-test-request-id-probe";
  private static final Logger LOG = Logger.getLogger(RequestIdProbe.class);

  private final Map<String, String> seen = new ConcurrentHashMap<>();

  private final Pool pool;

  public RequestIdProbe(Pool pool) {
    this.pool = pool;
  }

  /** "request id before the hop|request id after it" for a consumed payload, or null. */
  public String seen(String payload) {
    return seen.get(payload);
  }

  @Incoming(TOPIC)
  public Uni<Void> consume(String payload) {
    String before = RequestIds.current();
    return pool.query("select 1")
        .execute()
        .invoke(
            () -> {
              LOG.infof("probe consumed %s", payload);
              seen.put(payload, before + "|" + RequestIds.current());
            })
        .replaceWithVoid();
  }
}
