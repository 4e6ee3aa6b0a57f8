package dev.kiln.scheduler.domain;

import static dev.kiln.contracts.BuildState.ASSIGNED;
import static dev.kiln.contracts.BuildState.ERROR;
import static dev.kiln.contracts.BuildState.EXPIRED;
import static dev.kiln.contracts.BuildState.QUEUED;
import static dev.kiln.contracts.BuildState.RUNNING;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.BuildStateMachine;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.spec.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * @param stop the stop its worker was told about and has not confirmed yet, {@code null} when none
 * @param createdAt when the API accepted it
 * @param queuedAt when it first entered the queue; a requeued build keeps its place and its age
 * @param waitingSince when its current wait in the queue began (at submission, or at its requeue)
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
    StopRequest stop,
    Instant createdAt,
    Instant queuedAt,
    Instant waitingSince,
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
    Objects.requireNonNull(waitingSince, "waitingSince");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1, not " + attempt);
    }
  }

  /** A build that just entered the queue for its first attempt. */
  public static Build submitted(
      String id, String owner, BuildSpec spec, Instant createdAt, Instant queuedAt) {
    return new Build(
        id, owner, spec, QUEUED, 1, null, null, null, null, createdAt, queuedAt, queuedAt, null,
        null, null);
  }

  /** The platform the build asks for, {@code null} for any. */
  public Platform platform() {
    return spec.options().platform();
  }

  /** The labels a worker must carry, with the same values, to run the build. */
  public Map<String, String> workerLabels() {
    return spec.workerLabels();
  }

  /** The longest its attempt may run, counted from RUNNING, when the spec sets one. */
  public Optional<Duration> timeout() {
    Integer seconds = spec.limits().timeoutSeconds();
    return seconds == null ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }

  /** What the build is built from, for cache affinity. */
  public SourceKey sourceKey() {
    return SourceKey.of(spec);
  }

  /** Whether its worker was told to stop it and has not confirmed yet. */
  public boolean stopRequested() {
    return stop != null;
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
        stop,
        waitingSince,
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
        stop,
        waitingSince,
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
        stop,
        waitingSince,
        assignedAt,
        startedAt,
        now);
  }

  /**
   * Records that the worker was told to stop the current attempt; the state moves when the worker
   * confirms, when it is lost, or when the cancel grace has passed.
   */
  public Build withStopRequested(CancelReason reason, Instant now) {
    if (state != ASSIGNED && state != RUNNING) {
      throw new IllegalStateException(
          "build " + id + " is " + state + "; only an assigned or running build is stopped");
    }
    return new Build(
        id,
        owner,
        spec,
        state,
        attempt,
        workerId,
        workerStartedAt,
        leaseExpiresAt,
        new StopRequest(reason, now),
        createdAt,
        queuedAt,
        waitingSince,
        assignedAt,
        startedAt,
        finishedAt);
  }

  /** Into the state its stop request leads to: CANCELLED, or TIMED_OUT for a timeout. */
  public Build finishStopped(Instant now) {
    if (stop == null) {
      throw new IllegalStateException("build " + id + " has no stop request to finish");
    }
    return finish(stop.outcome(), now);
  }

  /** QUEUED → EXPIRED: it waited in the queue longer than the queue's time to live. */
  public Build expire(Instant now) {
    return finish(EXPIRED, now);
  }

  /**
   * What becomes of the build when its worker is lost: the outcome of its stop request when it had
   * one (there is nothing left to stop), ERROR when this was its last allowed attempt, otherwise
   * back in the queue for the next attempt, keeping its place.
   */
  public Build afterWorkerLost(int maxAttempts, Instant now) {
    if (stop != null) {
      return finishStopped(now);
    }
    if (attempt >= maxAttempts) {
      return finish(ERROR, now);
    }
    return moved(QUEUED, attempt + 1, null, null, null, null, now, null, null, null);
  }

  private Build moved(
      BuildState to,
      int nextAttempt,
      String nextWorkerId,
      Instant nextWorkerStartedAt,
      Instant nextLease,
      StopRequest nextStop,
      Instant nextWaitingSince,
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
        nextStop,
        createdAt,
        queuedAt,
        nextWaitingSince,
        nextAssignedAt,
        nextStartedAt,
        nextFinishedAt);
  }
}
