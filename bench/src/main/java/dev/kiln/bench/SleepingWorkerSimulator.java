package dev.kiln.bench;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.Topics;
import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.BuildAssigned;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.WorkerHeartbeat;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.messaging.EventConsumer;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.messaging.ReceivedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Benchmark-only stand-in for a pool of build workers: it speaks the real Kafka protocol to the
 * scheduler (heartbeats every few seconds and whenever a build starts or ends, {@code
 * BuildAccepted} at once, {@code BuildFinished(SUCCEEDED)} after a sleep) but builds nothing. It
 * exists so that the scheduler can be measured against 100 workers on one machine; it is never part
 * of the product.
 *
 * <p>All simulated workers share one consumer of the commands topic and act on the commands
 * addressed to any of them, which is the same traffic the scheduler sees from real workers.
 */
final class SleepingWorkerSimulator implements AutoCloseable {
  private static final Platform PLATFORM = Platform.parse("linux/amd64");
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  private final List<SimulatedWorker> workers = new ArrayList<>();
  private final Map<String, SimulatedWorker> byId = new ConcurrentHashMap<>();
  private final Duration buildTime;
  private final EventPublisher publisher;
  private final EventConsumer commands;
  private final BiConsumer<String, Long> onAssigned;
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2, Thread.ofPlatform().daemon().name("simulated-worker-", 1).factory());

  /**
   * @param onAssigned told the build id and {@link System#nanoTime()} of every assignment received
   */
  SleepingWorkerSimulator(
      String bootstrap,
      int count,
      int slots,
      Duration buildTime,
      BiConsumer<String, Long> onAssigned) {
    this.buildTime = buildTime;
    this.onAssigned = onAssigned;
    this.publisher =
        new EventPublisher(KafkaClients.producerConfig(bootstrap, "sleeping-worker-simulator"));
    Instant startedAt = Instant.now();
    for (int n = 1; n <= count; n++) {
      SimulatedWorker worker = new SimulatedWorker("simulated-worker-" + n, slots, startedAt);
      workers.add(worker);
      byId.put(worker.id, worker);
    }
    this.commands =
        new EventConsumer(
            "sleeping-worker-simulator",
            KafkaClients.consumerConfig(
                bootstrap, "sleeping-worker-simulator-" + UUID.randomUUID(), "simulator", false),
            List.of(Topics.BUILD_COMMANDS),
            this::handle);
  }

  /** Joins the commands topic, then starts every worker's heartbeats, spread over an interval. */
  void start() throws InterruptedException {
    commands.start();
    if (!commands.awaitAssignment(Duration.ofMinutes(1))) {
      throw new IllegalStateException("the simulator got no partitions of the commands topic");
    }
    long spread = HEARTBEAT_INTERVAL.toMillis() / Math.max(1, workers.size());
    for (int i = 0; i < workers.size(); i++) {
      SimulatedWorker worker = workers.get(i);
      worker.heartbeat();
      timers.scheduleAtFixedRate(
          worker::heartbeat, spread * i, HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void handle(List<ReceivedEvent> batch) {
    long now = System.nanoTime();
    for (ReceivedEvent received : batch) {
      if (received.envelope().payload() instanceof BuildAssigned assigned) {
        SimulatedWorker worker = byId.get(assigned.workerId());
        if (worker != null) {
          onAssigned.accept(received.envelope().buildId(), now);
          worker.accept(received.envelope().buildId(), assigned.attempt());
        }
      }
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
    commands.close();
    publisher.close();
  }

  private final class SimulatedWorker {
    private final String id;
    private final int slots;
    private final Instant startedAt;
    private final Set<RunningAttempt> running = ConcurrentHashMap.newKeySet();

    SimulatedWorker(String id, int slots, Instant startedAt) {
      this.id = id;
      this.slots = slots;
      this.startedAt = startedAt;
    }

    void accept(String buildId, int attempt) {
      RunningAttempt key = new RunningAttempt(buildId, attempt);
      if (!running.add(key)) {
        return;
      }
      send(buildId, new BuildAccepted(id, attempt));
      heartbeat();
      timers.schedule(
          () -> {
            running.remove(key);
            send(buildId, new BuildFinished(id, attempt, BuildState.SUCCEEDED, null, null, 0));
            heartbeat();
          },
          buildTime.toMillis(),
          TimeUnit.MILLISECONDS);
    }

    void heartbeat() {
      List<RunningAttempt> now = List.copyOf(running);
      send(
          null,
          new WorkerHeartbeat(
              id,
              slots,
              Math.max(0, slots - now.size()),
              PLATFORM,
              Map.of(),
              now,
              List.of(),
              startedAt,
              false));
    }

    private void send(String buildId, Event event) {
      publisher.publish(Envelope.of(buildId, event));
    }
  }
}
