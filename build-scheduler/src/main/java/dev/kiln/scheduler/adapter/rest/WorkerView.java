package dev.kiln.scheduler.adapter.rest;

import dev.kiln.scheduler.domain.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A worker as {@code GET /api/v1/workers} shows it.
 *
 * @param id the worker id
 * @param platform the platform it builds for
 * @param labels its labels
 * @param slots how many builds it runs at once
 * @param running builds the scheduler gave it that are assigned or running
 * @param lastSeen when its newest heartbeat was applied
 * @param alive whether that heartbeat is within the worker timeout
 * @param stopping whether it is shutting down
 * @param startedAt when its process started
 */
public record WorkerView(
    String id,
    String platform,
    Map<String, String> labels,
    int slots,
    int running,
    Instant lastSeen,
    boolean alive,
    boolean stopping,
    Instant startedAt) {

  static WorkerView of(Worker worker, Instant now, Duration workerTimeout) {
    return new WorkerView(
        worker.id(),
        worker.platform().toString(),
        worker.labels(),
        worker.slotsTotal(),
        worker.busy(),
        worker.lastSeen(),
        worker.isAlive(now, workerTimeout),
        worker.stopping(),
        worker.startedAt());
  }
}
