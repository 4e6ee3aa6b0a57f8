package dev.kiln.gateway;

import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.testing.KilnInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads and writes the test broker's topics the way the other services would. */
public final class KafkaProbe {
  private KafkaProbe() {}

  /**
   * Waits for the first event of {@code type} about {@code buildId} on {@code topic}, reading it
   * from the start with a consumer group of its own.
   */
  public static <T extends Event> T awaitEvent(String topic, String buildId, Class<T> type) {
    String bootstrap = KilnInfrastructure.broker().bootstrapServers();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClients.consumerConfig(
                bootstrap, "gateway-test-" + UUID.randomUUID(), "gateway-test", true))) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plusSeconds(60);
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Optional<Envelope> envelope = EventCodec.decode(record.value());
          if (envelope.isPresent()
              && buildId.equals(envelope.get().buildId())
              && type.isInstance(envelope.get().payload())) {
            return type.cast(envelope.get().payload());
          }
        }
      }
      throw new AssertionError("no " + type.getSimpleName() + " of " + buildId + " on " + topic);
    }
  }

  /** Publishes an event as its producer would, and waits for the broker to take it. */
  public static void publish(String buildId, Event event) {
    try (EventPublisher publisher =
        new EventPublisher(
            KafkaClients.producerConfig(
                KilnInfrastructure.broker().bootstrapServers(), "gateway-test"))) {
      publisher.publishAndWait(Envelope.of(buildId, event), Duration.ofSeconds(30));
    }
  }
}
