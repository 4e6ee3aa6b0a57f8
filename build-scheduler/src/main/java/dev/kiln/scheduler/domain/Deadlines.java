package dev.kiln.scheduler.domain;

import dev.kiln.contracts.BuildState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells what, if anything, a build is overdue for. For an assigned or running build, a lost worker
 * comes first (nothing else can happen on a lost worker), then a stop its worker did not confirm
 * within the cancel grace, then a run past its timeout; a queued build can only outstay the queue's
 * time to live. A lost worker is judged by what the scheduler has read ({@link LossDetector}); the
 * other deadlines by the clock.
 */
public final class Deadlines {
  private final LossDetector loss;
  private final Duration queueTtl;
  private final Duration cancelGrace;

  /**
   * @param workerTimeout how long after its last heartbeat a worker still counts as alive
   * @param queueTtl how long a build may wait in the queue, counted from when its current wait
   *     began
   * @param cancelGrace how long a worker has to confirm a stop
   */
  public Deadlines(Duration workerTimeout, Duration queueTtl, Duration cancelGrace) {
    this.loss = new LossDetector(workerTimeout);
    this.queueTtl = Objects.requireNonNull(queueTtl, "queueTtl");
    this.cancelGrace = Objects.requireNonNull(cancelGrace, "cancelGrace");
  }

  /**
   * What the build is overdue for now, or empty.
   *
   * @param worker the worker of its current attempt, {@code null} when it has none or the registry
   *     does not know it
   * @param heardUntil the moment up to which every heartbeat and report that reached the broker has
   *     been applied; {@link Instant#MIN} when that is not known yet
   */
  public Optional<Overdue> check(Build build, Worker worker, Instant now, Instant heardUntil) {
    if (build.state() == BuildState.QUEUED) {
      return now.isAfter(build.waitingSince().plus(queueTtl))
          ? Optional.of(new Overdue.QueueExpired(queueTtl))
          : Optional.empty();
    }
    if (build.state() != BuildState.ASSIGNED && build.state() != BuildState.RUNNING) {
      return Optional.empty();
    }
    Optional<LossCause> lost = loss.check(build, worker, heardUntil);
    if (lost.isPresent()) {
      return Optional.of(new Overdue.WorkerLost(lost.get()));
    }
    if (build.stopRequested()) {
      return now.isAfter(build.stop().at().plus(cancelGrace))
          ? Optional.of(new Overdue.StopUnconfirmed(cancelGrace))
          : Optional.empty();
    }
    if (build.state() == BuildState.RUNNING
        && build.startedAt() != null
        && build.timeout().isPresent()
        && now.isAfter(build.startedAt().plus(build.timeout().get()))) {
      return Optional.of(new Overdue.PastTimeout(build.timeout().get()));
    }
    return Optional.empty();
  }
}
