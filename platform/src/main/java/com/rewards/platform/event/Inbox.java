package com.rewards.platform.event;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Applies each consumed event once per consumer: the event id is recorded in the {@code inbox}
 * table in the same transaction as the consumer's work, so a redelivery finds it and does nothing.
 */
@ApplicationScoped
public class Inbox {

  /** Must run inside the consumer's transaction. Answers whether the work ran. */
  public Uni<Boolean> once(String consumer, String eventId, Supplier<Uni<?>> work) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "insert into inbox (consumer, event_id) values (:consumer, :id)"
                            + " on conflict do nothing")
                    .setParameter("consumer", consumer)
                    .setParameter("id", eventId)
                    .executeUpdate())
        .chain(
            inserted ->
                inserted == 1
                    ? work.get().replaceWith(Boolean.TRUE)
                    : Uni.createFrom().item(Boolean.FALSE));
  }
}
