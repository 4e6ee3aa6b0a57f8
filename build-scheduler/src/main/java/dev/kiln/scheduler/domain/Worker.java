package dev.kiln.scheduler.domain;

import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A worker as the registry knows it.
 *
 * @param id unique per worker process
 * @param platform the platform it builds for
 * @param labels labels a build may require
 * @param slotsTotal how many builds it runs at once
 * @param busy builds the scheduler gave it that are still assigned or running; counted from the
 *     scheduler's own records, never taken from the worker's word
 * @param startedAt when its process started; a later value means it restarted
 * @param lastSeen when its newest heartbeat was applied
 * @param stopping whether it is shutting down and takes no new builds
 * @param running the attempts its newest heartbeat said it runs
 */
public record Worker(
    String id,
    Platform platform,
    Map<String, String> labels,
    int slotsTotal,
    int busy,
    Instant startedAt,
    Instant lastSeen,
    boolean stopping,
    Set<RunningAttempt> running) {

  public Worker {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(lastSeen, "lastSeen");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    running = running == null ? Set.of() : Set.copyOf(running);
  }

  /** Slots it has left. */
  public int free() {
    return Math.max(0, slotsTotal - busy);
  }

  /** Whether its newest heartbeat is at most {@code timeout} old. */
  public boolean isAlive(Instant now, Duration timeout) {
    return !lastSeen.plus(timeout).isBefore(now);
  }

  /** Whether its newest heartbeat listed this attempt. */
  public boolean runs(String buildId, int attempt) {
    return running.contains(new RunningAttempt(buildId, attempt));
  }

  /** The same worker with another count of busy slots. */
  public Worker withBusy(int busy) {
    return new Worker(
        id, platform, labels, slotsTotal, busy, startedAt, lastSeen, stopping, running);
  }
}
