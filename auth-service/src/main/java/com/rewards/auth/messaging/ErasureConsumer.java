package com.rewards.auth.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rewards.auth.service.DeletionReceiptService;
import com.rewards.platform.event.InboundEvent;
import com.rewards.platform.event.Inbox;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Completes deletion receipts from the other services' reports ({@code <service>.user.erased.v1},
 * one topic per service). A report counts only for the service that owns its topic, and only for
 * the deletion it names: a late report of an earlier deletion of the same user id changes nothing.
 */
@ApplicationScoped
public class ErasureConsumer {
  static final String CONSUMER = "auth-service.erasures";
  private static final Logger LOG = Logger.getLogger(ErasureConsumer.class);
  private static final TypeReference<Map<String, Integer>> COUNTS = new TypeReference<>() {};

  private final DeletionReceiptService receipts;
  private final Inbox inbox;
  private final ObjectMapper mapper;

  public ErasureConsumer(DeletionReceiptService receipts, Inbox inbox, ObjectMapper mapper) {
    this.receipts = receipts;
    this.inbox = inbox;
    this.mapper = mapper;
  }

  @Incoming("loyalty-erasures")
  @WithTransaction
  public Uni<Void> loyalty(String payload) {
    return consume("loyalty-service", "loyalty.erasures.v1", payload);
  }

  @Incoming("referral-erasures")
  @WithTransaction
  public Uni<Void> referral(String payload) {
    return consume("referral-service", "referral.erasures.v1", payload);
  }

  @Incoming("payment-erasures")
  @WithTransaction
  public Uni<Void> payment(String payload) {
    return consume("payment-service", "payment.erasures.v1", payload);
  }

  @Incoming("analytics-erasures")
  @WithTransaction
  public Uni<Void> analytics(String payload) {
    return consume("analytics-service", "analytics.erasures.v1", payload);
  }

  private Uni<Void> consume(String owner, String topic, String payload) {
    return inbox.consume(CONSUMER, topic, payload, event -> apply(owner, topic, event));
  }

  private Uni<?> apply(String owner, String topic, InboundEvent event) {
    if (!event.type().endsWith(".user.erased.v1")) {
      return Uni.createFrom().voidItem();
    }
    String clientId = event.text("client_id");
    String hash = event.text("user_hash");
    String service = event.text("service");
    String deletionId = event.text("deletion_id");
    String erasedAt = event.text("erased_at");
    if (clientId == null || hash == null || deletionId == null || erasedAt == null) {
      LOG.warnf("Skipping %s %s of %s: it lacks a required field", event.type(), event.id(), topic);
      return Uni.createFrom().voidItem();
    }
    if (!owner.equals(service)) {
      LOG.warnf("Skipping %s %s: %s says it is %s", event.type(), event.id(), topic, service);
      return Uni.createFrom().voidItem();
    }
    UUID deletion;
    Instant at;
    Map<String, Integer> removed;
    Map<String, Integer> anonymised;
    try {
      deletion = UUID.fromString(deletionId);
      at = Instant.parse(erasedAt);
      removed = counts(event, "removed");
      anonymised = counts(event, "anonymised");
    } catch (RuntimeException e) {
      LOG.warnf("Skipping %s %s of %s: %s", event.type(), event.id(), topic, e.getMessage());
      return Uni.createFrom().voidItem();
    }
    return receipts
        .complete(clientId, hash, service, deletion, at, removed, anonymised)
        .invoke(
            done -> {
              if (!done) {
                LOG.infof(
                    "%s %s of %s matched no pending receipt (an earlier deletion?)",
                    event.type(), event.id(), topic);
              }
            });
  }

  private Map<String, Integer> counts(InboundEvent event, String field) {
    var node = event.data().path(field);
    return node.isObject() ? mapper.convertValue(node, COUNTS) : Map.of();
  }
}
