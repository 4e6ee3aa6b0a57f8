package dev.kiln.scheduler;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.CancelAcknowledged;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.events.WorkerHeartbeat;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.messaging.EventPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Plays a worker over Kafka: sends heartbeats on its own and reports when told to. */
final class TestWorker implements AutoCloseable {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final EventPublisher publisher;
  private final String id;
  private final Platform platform;
  private final int slots;
  private final Instant startedAt = Instant.now();
  private final Set<RunningAttempt> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

  TestWorker(EventPublisher publisher, String id, Platform platform, int slots) {
    this.publisher = publisher;
    this.id = id;
    this.platform = platform;
    this.slots = slots;
  }

  String id() {
    return id;
  }

  /** Sends a heartbeat now and then every 300 ms, until {@link #stopHeartbeats()}. */
  void startHeartbeats() {
    heartbeats.scheduleAtFixedRate(this::heartbeat, 0, 300, TimeUnit.MILLISECONDS);
  }

  /** Goes silent, as a crashed worker would. */
  void stopHeartbeats() throws InterruptedException {
    heartbeats.shutdownNow();
    heartbeats.awaitTermination(10, TimeUnit.SECONDS);
  }

  void accept(String buildId, int attempt) {
    running.add(new RunningAttempt(buildId, attempt));
    send(buildId, new BuildAccepted(id, attempt));
  }

  void finish(String buildId, int attempt, BuildState outcome, ImageInfo image, BuildError error) {
    running.remove(new RunningAttempt(buildId, attempt));
    send(buildId, new BuildFinished(id, attempt, outcome, image, error, 42));
  }

  void acknowledgeCancel(String buildId, int attempt) {
    running.remove(new RunningAttempt(buildId, attempt));
    send(buildId, new CancelAcknowledged(id, attempt));
  }

  private void heartbeat() {
    WorkerHeartbeat beat =
        new WorkerHeartbeat(
            id,
            slots,
            slots - running.size(),
            platform,
            Map.of("test", "true"),
            List.copyOf(running),
            List.of(),
            startedAt,
            false);
    publisher.publishAndWait(Envelope.of(null, beat), SEND_TIMEOUT);
  }

  private void send(String buildId, Event report) {
    publisher.publishAndWait(Envelope.of(buildId, report), SEND_TIMEOUT);
  }

  @Override
  public void close() throws InterruptedException {
    stopHeartbeats();
  }
}
