package dev.kiln.scheduler.domain;

import dev.kiln.contracts.BuildState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells whether an assigned or running attempt has lost its worker.
 *
 * <p>Silence and lease ends are judged against how far the scheduler has read what workers sent
 * ({@code heardUntil}), not against the clock: a heartbeat that waits unread in the broker, or in a
 * worker's producer while the broker is down, must not make a live worker look silent. Everything
 * that reached the broker before {@code heardUntil} has been applied, so a worker whose newest
 * heartbeat is older than {@code heardUntil} minus the worker timeout really sent nothing in that
 * window.
 */
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
   * @param heardUntil the moment up to which every heartbeat and report that reached the broker has
   *     been applied; {@link Instant#MIN} when that is not known yet, which judges no silence and
   *     no lease
   */
  public Optional<LossCause> check(Build build, Worker worker, Instant heardUntil) {
    if (build.state() != BuildState.ASSIGNED && build.state() != BuildState.RUNNING) {
      return Optional.empty();
    }
    if (worker == null || !worker.isAlive(heardUntil, workerTimeout)) {
      return Optional.of(LossCause.WORKER_SILENT);
    }
    if (restartedSince(build, worker) && !worker.runs(build.id(), build.attempt())) {
      return Optional.of(LossCause.WORKER_RESTARTED);
    }
    if (build.leaseExpiresAt() != null && heardUntil.isAfter(build.leaseExpiresAt())) {
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
