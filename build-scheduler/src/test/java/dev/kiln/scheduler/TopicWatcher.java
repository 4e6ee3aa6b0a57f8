package dev.kiln.scheduler;

import dev.kiln.contracts.Topics;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.Event;
import dev.kiln.messaging.EventConsumer;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.messaging.ReceivedEvent;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads what the scheduler publishes on the status and command topics, as its readers would. */
final class TopicWatcher implements AutoCloseable {
  private final List<Envelope> seen = new CopyOnWriteArrayList<>();
  private final EventConsumer consumer;

  TopicWatcher(String bootstrap) {
    consumer =
        new EventConsumer(
            "test-watcher",
            KafkaClients.consumerConfig(
                bootstrap, "scheduler-test-" + UUID.randomUUID(), "test-watcher", true),
            List.of(Topics.BUILD_STATUS, Topics.BUILD_COMMANDS),
            events -> events.stream().map(ReceivedEvent::envelope).forEach(seen::add));
    consumer.start();
  }

  /** The status changes of one build, in the order they were published. */
  List<BuildStatusChanged> statuses(String buildId) {
    return seen.stream()
        .filter(e -> buildId.equals(e.buildId()))
        .map(Envelope::payload)
        .filter(BuildStatusChanged.class::isInstance)
        .map(BuildStatusChanged.class::cast)
        .toList();
  }

  /** The commands about one build, in the order they were published. */
  List<Event> commands(String buildId) {
    return seen.stream()
        .filter(e -> buildId.equals(e.buildId()))
        .map(Envelope::payload)
        .filter(p -> Topics.of(p).equals(Topics.BUILD_COMMANDS))
        .toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
