package com.rewards.analytics.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Client event ids of drops, remembered per user for a day. A claim is committed before the
 * produce, with the CloudEvent id the drop will carry: a retry while the first attempt is still in
 * flight, or after it failed or crashed, publishes under the same id, so consumers (which
 * de-duplicate by CloudEvent id) count it once, and the retry only answers "duplicate" once Kafka
 * acknowledged the record.
 */
@ApplicationScoped
public class ClientEventIds {
  public enum State {
    /** First sight (or the old claim expired): publish under the proposed id. */
    NEW,
    /** Claimed before but not acknowledged yet: publish (again) under the claimed id. */
    PENDING,
    /** Stored already: answer success without publishing. */
    DUPLICATE,
    /** The id was used with another event or other attributes. */
    CONFLICT
  }

  public record Claim(String clientEventId, String requestHash, UUID proposedEventId) {}

  public record Claimed(String clientEventId, State state, UUID eventId) {}

  private final Duration retention;

  public ClientEventIds(
      @ConfigProperty(name = "rewards.analytics.client-event-id-retention") Duration retention) {
    this.retention = retention;
  }

  @WithTransaction
  public Uni<List<Claimed>> claim(String clientId, String userId, List<Claim> claims) {
    return Multi.createFrom()
        .iterable(claims)
        .onItem()
        .transformToUniAndConcatenate(claim -> claimOne(clientId, userId, claim))
        .collect()
        .asList();
  }

  private Uni<Claimed> claimOne(String clientId, String userId, Claim claim) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into px_client_events"
                            + " (client_id, user_id, client_event_id, request_hash, event_id)"
                            + " values (:c, :u, :k, :h, :id)"
                            + " on conflict (client_id, user_id, client_event_id) do update"
                            + " set request_hash = excluded.request_hash,"
                            + " event_id = excluded.event_id, acked = false, created_at = now()"
                            + " where px_client_events.created_at"
                            + " < now() - make_interval(secs => :secs)")
                    .setParameter("c", clientId)
                    .setParameter("u", userId)
                    .setParameter("k", claim.clientEventId())
                    .setParameter("h", claim.requestHash())
                    .setParameter("id", claim.proposedEventId())
                    .setParameter("secs", (double) retention.toSeconds())
                    .executeUpdate()
                    .chain(
                        () ->
                            s.createNativeQuery(
                                    "select request_hash, event_id::text, acked"
                                        + " from px_client_events where client_id = :c"
                                        + " and user_id = :u and client_event_id = :k",
                                    Object[].class)
                                .setParameter("c", clientId)
                                .setParameter("u", userId)
                                .setParameter("k", claim.clientEventId())
                                .getSingleResult()))
        .map(
            row -> {
              UUID eventId = UUID.fromString((String) row[1]);
              State state;
              if (eventId.equals(claim.proposedEventId())) {
                state = State.NEW;
              } else if (!claim.requestHash().equals(row[0])) {
                state = State.CONFLICT;
              } else if (Boolean.TRUE.equals(row[2])) {
                state = State.DUPLICATE;
              } else {
                state = State.PENDING;
              }
              return new Claimed(claim.clientEventId(), state, eventId);
            });
  }

  /** Marks claims whose record Kafka acknowledged; a later retry then answers duplicate. */
  @WithTransaction
  public Uni<Void> confirm(String clientId, String userId, List<Claimed> acked) {
    return Multi.createFrom()
        .iterable(acked)
        .onItem()
        .transformToUniAndConcatenate(
            claimed ->
                Panache.getSession()
                    .chain(
                        s ->
                            s.createNativeQuery(
                                    "update px_client_events set acked = true"
                                        + " where client_id = :c and user_id = :u"
                                        + " and client_event_id = :k and event_id = :id")
                                .setParameter("c", clientId)
                                .setParameter("u", userId)
                                .setParameter("k", claimed.clientEventId())
                                .setParameter("id", claimed.eventId())
                                .executeUpdate()))
        .collect()
        .last()
        .replaceWithVoid();
  }

  @Scheduled(every = "10m", delayed = "1m")
  @WithTransaction
  public Uni<Void> purgeExpired() {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "delete from px_client_events"
                            + " where created_at < now() - make_interval(secs => :secs)")
                    .setParameter("secs", (double) retention.toSeconds())
                    .executeUpdate())
        .replaceWithVoid();
  }
}
