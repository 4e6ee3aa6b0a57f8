package dev.kiln.scheduler.app;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.CancelBuild;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.adapter.persistence.WorkerRepository;
import dev.kiln.scheduler.domain.Build;
import dev.kiln.scheduler.domain.Deadlines;
import dev.kiln.scheduler.domain.Overdue;
import dev.kiln.scheduler.domain.Reasons;
import dev.kiln.scheduler.domain.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The clock's part of the build lifecycle, run on a timer. It takes builds back from lost workers
 * (to the queue for their next attempt, or to ERROR after the last), tells the worker of a build
 * past its timeout to stop it, ends stops that were not confirmed within the cancel grace, and
 * expires builds that waited in the queue too long.
 *
 * <p>A worker is judged lost by what the scheduler has heard from it up to the {@link
 * HeartbeatHorizon}, not by the clock: while heartbeats wait unread (the broker is down, the
 * consumer reconnects or catches up) no worker goes silent. Timeouts, unconfirmed stops and the
 * queue's time to live are judged by the clock.
 *
 * <p>It first reads, without locks, which builds look overdue, then moves each in a transaction of
 * its own after locking its row and checking it again: the build may have moved since, here or in
 * another scheduler instance. That check under the lock is what keeps two instances from moving one
 * build twice: the second finds it moved and nothing overdue.
 */
public final class BuildWatchdog {
  private static final Logger LOG = Logger.getLogger(BuildWatchdog.class);
  private static final int EXPIRY_BATCH = 500;

  private final Transactor transactor;
  private final BuildRepository builds;
  private final WorkerRepository workers;
  private final Transitions transitions;
  private final Deadlines deadlines;
  private final Duration queueTtl;
  private final int maxAttempts;
  private final HeartbeatHorizon horizon;
  private final Clock clock;
  private final Instant judgeFrom;

  /**
   * @param workerTimeout how long after its last heartbeat a worker still counts as alive; the
   *     watchdog also waits this long after it is created, so that heartbeats and reports written
   *     while this instance was down are read before anything is judged overdue
   * @param maxAttempts attempts a build gets before the loss of its worker is final
   * @param horizon how far the scheduler has heard from the workers; advanced once per round
   */
  public BuildWatchdog(
      Transactor transactor,
      BuildRepository builds,
      WorkerRepository workers,
      Transitions transitions,
      Duration workerTimeout,
      Duration queueTtl,
      Duration cancelGrace,
      int maxAttempts,
      HeartbeatHorizon horizon,
      Clock clock) {
    this.transactor = transactor;
    this.builds = builds;
    this.workers = workers;
    this.transitions = transitions;
    this.deadlines = new Deadlines(workerTimeout, queueTtl, cancelGrace);
    this.queueTtl = queueTtl;
    this.maxAttempts = maxAttempts;
    this.horizon = horizon;
    this.clock = clock;
    this.judgeFrom = clock.instant().plus(workerTimeout);
  }

  /**
   * Finds overdue builds and moves each on in a transaction of its own.
   *
   * @return how many builds were moved or told to stop
   */
  public int watch() {
    // Advanced even before judging starts, so that it has caught up by then.
    Instant heardUntil = horizon.advance().orElse(Instant.MIN);
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
              List<Build> overdue = new ArrayList<>();
              for (Build build : builds.active(connection)) {
                if (deadlines
                    .check(build, known.get(build.workerId()), now, heardUntil)
                    .isPresent()) {
                  overdue.add(build);
                }
              }
              overdue.addAll(builds.queuedSince(connection, now.minus(queueTtl), EXPIRY_BATCH));
              return overdue;
            });
    int acted = 0;
    for (Build suspect : suspects) {
      if (transactor.inTransaction(connection -> act(connection, suspect.id(), heardUntil))) {
        acted++;
      }
    }
    return acted;
  }

  private boolean act(Connection connection, String buildId, Instant heardUntil)
      throws SQLException {
    Optional<Build> locked = builds.lock(connection, buildId);
    if (locked.isEmpty()) {
      return false;
    }
    Build build = locked.get();
    Instant now = clock.instant();
    Worker worker =
        build.workerId() == null ? null : workers.find(connection, build.workerId()).orElse(null);
    Optional<Overdue> overdue = deadlines.check(build, worker, now, heardUntil);
    if (overdue.isEmpty()) {
      return false;
    }
    switch (overdue.get()) {
      case Overdue.WorkerLost lost -> workerLost(connection, build, lost, now);
      case Overdue.StopUnconfirmed unconfirmed -> {
        LOG.warnf(
            "build %s attempt %d: worker %s did not confirm the stop within %s; now %s",
            build.id(),
            build.attempt(),
            build.workerId(),
            unconfirmed.grace(),
            build.stop().outcome());
        transitions.moved(
            connection,
            build,
            build.finishStopped(now),
            stoppedNote(build, "its worker did not confirm within " + unconfirmed.grace()),
            now);
      }
      case Overdue.PastTimeout past -> {
        LOG.infof(
            "build %s attempt %d ran past its timeout of %s; telling %s to stop it",
            build.id(), build.attempt(), past.timeout(), build.workerId());
        builds.update(connection, build.withStopRequested(CancelReason.TIMEOUT, now));
        transitions.announce(
            connection,
            build.id(),
            new CancelBuild(build.workerId(), build.attempt(), CancelReason.TIMEOUT));
      }
      case Overdue.QueueExpired expired ->
          transitions.moved(
              connection,
              build,
              build.expire(now),
              StatusNote.because(
                  Reasons.QUEUE_EXPIRED,
                  BuildError.of(
                      ErrorCategory.QUEUE_EXPIRED,
                      "no worker took the build within " + expired.ttl() + " of queueing",
                      "check that a worker with its platform and labels runs, then retry")),
              now);
    }
    return true;
  }

  private void workerLost(Connection connection, Build build, Overdue.WorkerLost lost, Instant now)
      throws SQLException {
    Build after = build.afterWorkerLost(maxAttempts, now);
    LOG.warnf(
        "build %s attempt %d lost its worker %s (%s): now %s attempt %d",
        build.id(),
        build.attempt(),
        build.workerId(),
        lost.cause(),
        after.state(),
        after.attempt());
    if (build.stopRequested()) {
      // The worker was told to stop already; with it gone there is nothing left to stop.
      transitions.moved(
          connection,
          build,
          after,
          stoppedNote(build, "its worker was lost before confirming"),
          now);
      return;
    }
    StatusNote note =
        after.state() == BuildState.ERROR
            ? StatusNote.because(
                Reasons.WORKER_LOST,
                BuildError.of(
                    ErrorCategory.WORKER_LOST,
                    "the build lost its worker on attempt "
                        + after.attempt()
                        + ", the last of "
                        + maxAttempts
                        + " allowed ("
                        + lost.cause()
                        + ")",
                    "check the workers' logs for crashes or out-of-memory kills, then retry"))
            : StatusNote.because(Reasons.WORKER_LOST);
    transitions.moved(connection, build, after, note, now);
    transitions.announce(
        connection,
        build.id(),
        new CancelBuild(build.workerId(), build.attempt(), CancelReason.SUPERSEDED));
  }

  /** The note of a stopped build that ends without its worker's confirmation. */
  static StatusNote stoppedNote(Build build, String why) {
    if (build.stop().reason() == CancelReason.TIMEOUT) {
      return StatusNote.because(
          Reasons.TIMEOUT,
          BuildError.of(
              ErrorCategory.TIMEOUT,
              "stopped after running past its timeout of "
                  + build.timeout().map(Duration::toString).orElse("?")
                  + "; "
                  + why,
              "raise limits.timeoutSeconds or make the build faster"));
    }
    return StatusNote.because(
        Reasons.CANCELLED_BY_USER,
        BuildError.of(ErrorCategory.CANCELLED, "cancelled on request; " + why, null));
  }
}
