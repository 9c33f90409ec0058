package com.rewards.platform.event;

import com.rewards.platform.rest.RequestIds;
import io.quarkus.vertx.core.runtime.VertxMDC;
import io.smallrye.reactive.messaging.IncomingInterceptor;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.providers.locals.LocalContextMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Carries the request id of the HTTP call that caused an event into the consumers of that event:
 * the {@code x-request-id} header the {@link OutboxRelay} puts on each record goes into the log MDC
 * ({@code requestId}, as for HTTP requests) while the record is processed, and so also into the
 * outbox rows the consumer writes. One interceptor for every incoming Kafka channel of the service.
 *
 * <p>The connector gives each record its own duplicated Vert.x context and runs the consumer method
 * on it, and Quarkus keeps the MDC in that context's local data ({@link VertxMDC}), so the id
 * follows the processing across threads and cannot leak into another record's.
 */
@ApplicationScoped
public class InboundRequestIds implements IncomingInterceptor {
  public static final String HEADER = "x-request-id";

  @Override
  public Message<?> afterMessageReceive(Message<?> message) {
    String id =
        message
            .getMetadata(IncomingKafkaRecordMetadata.class)
            .map(kafka -> kafka.getHeaders().lastHeader(HEADER))
            .map(Header::value)
            .map(value -> new String(value, StandardCharsets.UTF_8))
            .filter(RequestIds::isSane)
            .orElse(null);
    if (id != null) {
      message
          .getMetadata(LocalContextMetadata.class)
          .map(LocalContextMetadata::context)
          .ifPresent(context -> VertxMDC.INSTANCE.put(RequestIds.MDC_KEY, id, context));
    }
    return message;
  }

  @Override
  public void onMessageAck(Message<?> message) {}

  @Override
  public void onMessageNack(Message<?> message, Throwable failure) {}
}
