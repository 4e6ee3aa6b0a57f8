package dev.kiln.worker.app;

import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.WorkerHeartbeat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Tells the scheduler that this worker is alive, what it runs and how much more it can take. */
public final class Heartbeats {
  private final String workerId;
  private final int slots;
  private final Platform platform;
  private final Map<String, String> labels;
  private final Instant startedAt;
  private final BuildRunner runner;
  private final EventSink events;

  public Heartbeats(
      String workerId,
      int slots,
      Platform platform,
      Map<String, String> labels,
      Instant startedAt,
      BuildRunner runner,
      EventSink events) {
    this.workerId = workerId;
    this.slots = slots;
    this.platform = platform;
    this.labels = Map.copyOf(labels);
    this.startedAt = startedAt;
    this.runner = runner;
    this.events = events;
  }

  /** Publishes the worker's state now. */
  public CompletableFuture<Void> beat() {
    BuildRunner.Status status = runner.status();
    return events.publish(
        null,
        new WorkerHeartbeat(
            workerId,
            slots,
            status.slotsFree(),
            platform,
            labels,
            status.running(),
            List.of(),
            startedAt,
            status.stopping()));
  }
}
