package dev.kiln.scheduler.app;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.CancelBuild;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.adapter.persistence.WorkerRepository;
import dev.kiln.scheduler.domain.Build;
import dev.kiln.scheduler.domain.LossCause;
import dev.kiln.scheduler.domain.LossDetector;
import dev.kiln.scheduler.domain.Reasons;
import dev.kiln.scheduler.domain.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Takes builds back from workers that are lost: the lease ran out, the heartbeats stopped, or the
 * worker restarted without the attempt. The build goes back to the queue for its next attempt, or
 * to ERROR once it has used all its attempts; the old worker is told to stop the old attempt in
 * case it is still alive.
 */
public final class LostBuildReaper {
  private static final Logger LOG = Logger.getLogger(LostBuildReaper.class);

  private final Transactor transactor;
  private final BuildRepository builds;
  private final WorkerRepository workers;
  private final Transitions transitions;
  private final LossDetector detector;
  private final int maxAttempts;
  private final Clock clock;
  private final Instant judgeFrom;

  /**
   * @param workerTimeout how long after its last heartbeat a worker still counts as alive; the
   *     reaper also waits this long after it is created, so that heartbeats written while this
   *     instance was down are read before anyone is judged lost
   * @param maxAttempts attempts a build gets before its loss is final
   */
  public LostBuildReaper(
      Transactor transactor,
      BuildRepository builds,
      WorkerRepository workers,
      Transitions transitions,
      Duration workerTimeout,
      int maxAttempts,
      Clock clock) {
    this.transactor = transactor;
    this.builds = builds;
    this.workers = workers;
    this.transitions = transitions;
    this.detector = new LossDetector(workerTimeout);
    this.maxAttempts = maxAttempts;
    this.clock = clock;
    this.judgeFrom = clock.instant().plus(workerTimeout);
  }

  /**
   * Finds lost attempts and moves each build on in a transaction of its own.
   *
   * @return how many builds were taken back
   */
  public int reapLost() {
    Instant now = clock.instant();
    if (now.isBefore(judgeFrom)) {
      return 0;
    }
    List<Build> suspects =
        transactor.inTransaction(
            connection -> {
              Map<String, Worker> known =
                  workers.all(connection).stream()
                      .collect(Collectors.toMap(Worker::id, Function.identity()));
              return builds.active(connection).stream()
                  .filter(b -> detector.check(b, known.get(b.workerId()), now).isPresent())
                  .toList();
            });
    int reaped = 0;
    for (Build suspect : suspects) {
      if (transactor.inTransaction(connection -> reap(connection, suspect.id()))) {
        reaped++;
      }
    }
    return reaped;
  }

  /** Checks the build again under its row lock, since it may have moved since it was read. */
  private boolean reap(Connection connection, String buildId) throws SQLException {
    Optional<Build> locked = builds.lock(connection, buildId);
    if (locked.isEmpty()) {
      return false;
    }
    Build build = locked.get();
    Instant now = clock.instant();
    Worker worker =
        build.workerId() == null ? null : workers.find(connection, build.workerId()).orElse(null);
    Optional<LossCause> cause = detector.check(build, worker, now);
    if (cause.isEmpty()) {
      return false;
    }
    Build after = build.afterWorkerLost(maxAttempts, now);
    LOG.warnf(
        "build %s attempt %d lost its worker %s (%s): now %s attempt %d",
        build.id(), build.attempt(), build.workerId(), cause.get(), after.state(), after.attempt());
    transitions.moved(connection, build, after, note(after, cause.get()), now);
    if (after.state() != BuildState.CANCELLED) {
      transitions.announce(
          connection,
          build.id(),
          new CancelBuild(build.workerId(), build.attempt(), CancelReason.SUPERSEDED));
    }
    return true;
  }

  private StatusNote note(Build after, LossCause cause) {
    return switch (after.state()) {
      case CANCELLED ->
          StatusNote.because(
              Reasons.CANCELLED_BY_USER,
              BuildError.of(
                  ErrorCategory.CANCELLED,
                  "cancelled on request; its worker was lost before confirming",
                  null));
      case ERROR ->
          StatusNote.because(
              Reasons.WORKER_LOST,
              BuildError.of(
                  ErrorCategory.WORKER_LOST,
                  "the build lost its worker on attempt "
                      + after.attempt()
                      + ", the last of "
                      + maxAttempts
                      + " allowed ("
                      + cause
                      + ")",
                  "check the workers' logs for crashes or out-of-memory kills, then retry"));
      default -> StatusNote.because(Reasons.WORKER_LOST);
    };
  }
}
