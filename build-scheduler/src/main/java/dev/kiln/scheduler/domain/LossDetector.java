package dev.kiln.scheduler.domain;

import dev.kiln.contracts.BuildState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Tells whether an assigned or running attempt has lost its worker. */
public final class LossDetector {
  private final Duration workerTimeout;

  /**
   * @param workerTimeout how long after its last heartbeat a worker still counts as alive
   */
  public LossDetector(Duration workerTimeout) {
    this.workerTimeout = Objects.requireNonNull(workerTimeout, "workerTimeout");
  }

  /**
   * Why the build's current attempt is lost, or empty when it is not.
   *
   * @param worker the worker the attempt was given to, {@code null} when the registry has none
   */
  public Optional<LossCause> check(Build build, Worker worker, Instant now) {
    if (build.state() != BuildState.ASSIGNED && build.state() != BuildState.RUNNING) {
      return Optional.empty();
    }
    if (worker == null || !worker.isAlive(now, workerTimeout)) {
      return Optional.of(LossCause.WORKER_SILENT);
    }
    if (restartedSince(build, worker) && !worker.runs(build.id(), build.attempt())) {
      return Optional.of(LossCause.WORKER_RESTARTED);
    }
    if (build.leaseExpiresAt() != null && now.isAfter(build.leaseExpiresAt())) {
      return Optional.of(LossCause.LEASE_EXPIRED);
    }
    return Optional.empty();
  }

  private static boolean restartedSince(Build build, Worker worker) {
    return worker.startedAt() != null
        && build.workerStartedAt() != null
        && worker.startedAt().isAfter(build.workerStartedAt());
  }
}
