package dev.kiln.worker;

import dev.kiln.contracts.Topics;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.contracts.events.WorkerHeartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what workers publish (reports, steps, log chunks, heartbeats) from the start of the topics,
 * the way the scheduler and the log-service would, and keeps it for assertions. Per-build order is
 * the order of the records in their partition.
 */
final class EventRecorder implements AutoCloseable {
  private static final List<String> TOPICS =
      List.of(
          Topics.BUILD_REPORTS, Topics.BUILD_STEPS, Topics.BUILD_LOGS, Topics.WORKER_HEARTBEATS);

  private final List<Envelope> events = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  EventRecorder(String bootstrapServers) {
    thread =
        Thread.ofPlatform().daemon().name("event-recorder").start(() -> poll(bootstrapServers));
  }

  /** Everything recorded about one build, in the order it was read. */
  List<Envelope> of(String buildId) {
    return events.stream().filter(envelope -> buildId.equals(envelope.buildId())).toList();
  }

  /** The events of one type recorded about one build. */
  <T extends Event> List<T> of(String buildId, Class<T> type) {
    return of(buildId).stream()
        .map(Envelope::payload)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  /** The heartbeats of one worker, oldest first. */
  List<WorkerHeartbeat> heartbeats(String workerId) {
    return events.stream()
        .map(Envelope::payload)
        .filter(WorkerHeartbeat.class::isInstance)
        .map(WorkerHeartbeat.class::cast)
        .filter(heartbeat -> heartbeat.workerId().equals(workerId))
        .toList();
  }

  <T extends Event> Optional<T> first(String buildId, Class<T> type) {
    return of(buildId, type).stream().findFirst();
  }

  private void poll(String bootstrapServers) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-recorder-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : TOPICS) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(30))
            .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          EventCodec.decode(record.value()).ifPresent(events::add);
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }
}
