package dev.kiln.worker.adapter.kafka;

import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.Event;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.worker.app.EventSink;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes the worker's events on their Kafka topics, keyed by build id (by worker id for
 * heartbeats), through one idempotent {@code acks=all} producer.
 */
public final class KafkaEventSink implements EventSink {
  private final EventPublisher publisher;

  public KafkaEventSink(EventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public CompletableFuture<Void> publish(String buildId, Event event) {
    return publisher.publish(Envelope.of(buildId, event)).thenApply(stored -> null);
  }
}
