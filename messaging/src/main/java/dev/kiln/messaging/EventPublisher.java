package dev.kiln.messaging;

import dev.kiln.contracts.Topics;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.EventCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Publishes envelopes to the topic of their event, keyed so one build's events stay in order. */
public final class EventPublisher implements AutoCloseable {
  private final Producer<String, byte[]> producer;

  public EventPublisher(Map<String, Object> producerConfig) {
    this(new KafkaProducer<>(producerConfig));
  }

  EventPublisher(Producer<String, byte[]> producer) {
    this.producer = producer;
  }

  /** Sends one envelope; the future completes when the broker acknowledged it. */
  public CompletableFuture<RecordMetadata> publish(Envelope envelope) {
    return send(Topics.of(envelope.payload()), envelope.key(), EventCodec.encode(envelope));
  }

  /** Sends an already encoded record. */
  public CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value) {
    CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
    producer.send(
        new ProducerRecord<>(topic, key, value),
        (metadata, error) -> {
          if (error != null) {
            acked.completeExceptionally(error);
          } else {
            acked.complete(metadata);
          }
        });
    return acked;
  }

  /**
   * Sends one envelope and waits for the broker's acknowledgement.
   *
   * @throws PublishException when the broker did not acknowledge in time
   */
  public void publishAndWait(Envelope envelope, Duration timeout) {
    try {
      publish(envelope).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while publishing " + envelope.type(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new PublishException("cannot publish " + envelope.type(), e);
    }
  }

  /** Sends whatever is batched now instead of waiting for the linger time. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  /** The broker did not take a record. */
  public static final class PublishException extends RuntimeException {
    public PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
