package dev.kiln.scheduler.domain;

import static dev.kiln.contracts.BuildState.ASSIGNED;
import static dev.kiln.contracts.BuildState.CANCELLED;
import static dev.kiln.contracts.BuildState.ERROR;
import static dev.kiln.contracts.BuildState.QUEUED;
import static dev.kiln.contracts.BuildState.RUNNING;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.BuildStateMachine;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.spec.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A build as the scheduler keeps it. Its methods are the only moves; each checks the move against
 * {@link BuildStateMachine} and throws {@link dev.kiln.contracts.IllegalTransitionException} naming
 * the build when the move is illegal.
 *
 * @param id the build id
 * @param owner who submitted it
 * @param spec the build as submitted, secrets included
 * @param state where it is now
 * @param attempt 1 for the first run, one more for every requeue
 * @param workerId the worker of the current attempt, {@code null} while queued
 * @param workerStartedAt when that worker's process started, as known at assignment
 * @param leaseExpiresAt when the current attempt is lost unless accepted or seen running
 * @param cancelRequested whether someone asked to cancel it while a worker had it
 * @param createdAt when the API accepted it
 * @param queuedAt when it first entered the queue; a requeued build keeps its place
 * @param assignedAt when the current attempt was assigned
 * @param startedAt when the current attempt started
 * @param finishedAt when it reached a terminal state
 */
public record Build(
    String id,
    String owner,
    BuildSpec spec,
    BuildState state,
    int attempt,
    String workerId,
    Instant workerStartedAt,
    Instant leaseExpiresAt,
    boolean cancelRequested,
    Instant createdAt,
    Instant queuedAt,
    Instant assignedAt,
    Instant startedAt,
    Instant finishedAt) {

  public Build {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(queuedAt, "queuedAt");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1, not " + attempt);
    }
  }

  /** A build that just entered the queue for its first attempt. */
  public static Build submitted(
      String id, String owner, BuildSpec spec, Instant createdAt, Instant queuedAt) {
    return new Build(
        id, owner, spec, QUEUED, 1, null, null, null, false, createdAt, queuedAt, null, null, null);
  }

  /** The platform the build asks for, {@code null} for any. */
  public Platform platform() {
    return spec.options().platform();
  }

  /** Whether a report from {@code workerId} about {@code attempt} is about this build as it is. */
  public boolean isCurrentAttempt(String workerId, int attempt) {
    return this.attempt == attempt && Objects.equals(this.workerId, workerId);
  }

  /** QUEUED → ASSIGNED: the worker must accept before the lease ends. */
  public Build assignTo(Worker worker, Instant now, Duration lease) {
    return moved(
        ASSIGNED,
        attempt,
        worker.id(),
        worker.startedAt(),
        now.plus(lease),
        cancelRequested,
        now,
        null,
        null);
  }

  /** ASSIGNED → RUNNING: from now on heartbeats that list the attempt extend its lease. */
  public Build start(Instant now, Duration lease) {
    return moved(
        RUNNING,
        attempt,
        workerId,
        workerStartedAt,
        now.plus(lease),
        cancelRequested,
        assignedAt,
        now,
        null);
  }

  /** Into a terminal state; the worker stays recorded as the one that ran the last attempt. */
  public Build finish(BuildState outcome, Instant now) {
    return moved(
        outcome,
        attempt,
        workerId,
        workerStartedAt,
        null,
        cancelRequested,
        assignedAt,
        startedAt,
        now);
  }

  /** Marks that the worker was told to cancel; the state moves when the worker confirms. */
  public Build withCancelRequested() {
    return new Build(
        id,
        owner,
        spec,
        state,
        attempt,
        workerId,
        workerStartedAt,
        leaseExpiresAt,
        true,
        createdAt,
        queuedAt,
        assignedAt,
        startedAt,
        finishedAt);
  }

  /**
   * What becomes of the build when its worker is lost: cancelled when someone asked for that (there
   * is nothing left to stop), ERROR when this was its last allowed attempt, otherwise back in the
   * queue for the next attempt.
   */
  public Build afterWorkerLost(int maxAttempts, Instant now) {
    if (cancelRequested) {
      return finish(CANCELLED, now);
    }
    if (attempt >= maxAttempts) {
      return finish(ERROR, now);
    }
    return moved(QUEUED, attempt + 1, null, null, null, false, null, null, null);
  }

  private Build moved(
      BuildState to,
      int nextAttempt,
      String nextWorkerId,
      Instant nextWorkerStartedAt,
      Instant nextLease,
      boolean nextCancelRequested,
      Instant nextAssignedAt,
      Instant nextStartedAt,
      Instant nextFinishedAt) {
    return new Build(
        id,
        owner,
        spec,
        BuildStateMachine.move(id, state, to),
        nextAttempt,
        nextWorkerId,
        nextWorkerStartedAt,
        nextLease,
        nextCancelRequested,
        createdAt,
        queuedAt,
        nextAssignedAt,
        nextStartedAt,
        nextFinishedAt);
  }
}
