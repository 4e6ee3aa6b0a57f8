package dev.kiln.logs.domain;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildStatusChanged;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a build is, as the scheduler last announced it.
 *
 * @param from the state before, {@code null} for a build's first status
 * @param to the state now
 * @param attempt the attempt the status belongs to
 * @param reason why it moved, when told
 * @param workerId the worker involved, when there is one
 * @param lastSeq the attempt's last log line, on a terminal move after a worker finished
 * @param changedAt when the scheduler moved it
 */
public record BuildStatus(
    BuildState from,
    BuildState to,
    int attempt,
    String reason,
    String workerId,
    Long lastSeq,
    Instant changedAt) {
  public BuildStatus {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(changedAt, "changedAt");
  }

  public static BuildStatus of(BuildStatusChanged e, Instant occurredAt) {
    return new BuildStatus(
        e.from(), e.to(), e.attempt(), e.reason(), e.workerId(), e.lastSeq(), occurredAt);
  }

  public boolean terminal() {
    return to.isTerminal();
  }

  /**
   * How far an attempt has come: within one attempt a build only moves forward (queued, assigned,
   * running, then a terminal state); a requeue starts the next attempt. Used to tell a stale status
   * (read from a lagging database) from a newer one.
   */
  public int progress() {
    return switch (to) {
      case QUEUED -> 0;
      case ASSIGNED -> 1;
      case RUNNING -> 2;
      default -> 3;
    };
  }

  /** Whether this status comes after {@code other} in the build's life. */
  public boolean isLaterThan(BuildStatus other) {
    return attempt != other.attempt ? attempt > other.attempt : progress() > other.progress();
  }
}
