package dev.kiln.scheduler.app;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.BuildStateMachine;
import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.CancelAcknowledged;
import dev.kiln.scheduler.adapter.persistence.AffinityRepository;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.domain.Build;
import dev.kiln.scheduler.domain.Reasons;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Applies what workers report. A report counts only when it names the build's current attempt and
 * comes from the worker that holds it; anything else is an older attempt or a stray worker and is
 * logged and ignored. A success also records the worker as the one that last built the source, for
 * cache affinity.
 */
public final class ReportIntake {
  private static final Logger LOG = Logger.getLogger(ReportIntake.class);

  private final BuildRepository builds;
  private final AffinityRepository affinity;
  private final Transitions transitions;
  private final Duration lease;
  private final Clock clock;

  /**
   * @param lease how long a started attempt lives without a heartbeat listing it
   */
  public ReportIntake(
      BuildRepository builds,
      AffinityRepository affinity,
      Transitions transitions,
      Duration lease,
      Clock clock) {
    this.builds = builds;
    this.affinity = affinity;
    this.transitions = transitions;
    this.lease = lease;
    this.clock = clock;
  }

  /** The worker started the attempt: ASSIGNED → RUNNING. */
  public void accepted(Connection connection, String buildId, BuildAccepted report)
      throws SQLException {
    Optional<Build> found = current(connection, buildId, report.workerId(), report.attempt());
    if (found.isEmpty()) {
      return;
    }
    Build build = found.get();
    if (build.state() != BuildState.ASSIGNED) {
      LOG.debugf("build %s accepted again while %s; nothing to do", buildId, build.state());
      return;
    }
    Instant now = clock.instant();
    transitions.moved(
        connection, build, build.start(now, lease), StatusNote.because(Reasons.STARTED), now);
  }

  /** The worker is done with the attempt: into the outcome it reports. */
  public void finished(Connection connection, String buildId, BuildFinished report)
      throws SQLException {
    Optional<Build> found = current(connection, buildId, report.workerId(), report.attempt());
    if (found.isEmpty()) {
      return;
    }
    Build build = found.get();
    if (build.state().isTerminal()) {
      LOG.debugf("build %s reported finished again; it is already %s", buildId, build.state());
      return;
    }
    Instant now = clock.instant();
    if (build.state() == BuildState.ASSIGNED
        && !BuildStateMachine.canMove(BuildState.ASSIGNED, report.outcome())) {
      // The worker got as far as an outcome, so it started: its BuildAccepted was lost or is late.
      Build running = build.start(now, lease);
      transitions.moved(connection, build, running, StatusNote.because(Reasons.STARTED), now);
      build = running;
    }
    String reason =
        report.error() != null ? report.error().category().name() : report.outcome().name();
    transitions.moved(
        connection,
        build,
        build.finish(report.outcome(), now),
        new StatusNote(reason, report.image(), report.error(), report.lastSeq()),
        now);
    if (report.outcome() == BuildState.SUCCEEDED) {
      affinity.built(connection, build.sourceKey(), build.workerId(), now);
    }
  }

  /**
   * The worker stopped the attempt it was told to stop, without a {@code BuildFinished} first (it
   * had not started it, or no longer knew it): CANCELLED, or TIMED_OUT for a timeout.
   */
  public void cancelAcknowledged(Connection connection, String buildId, CancelAcknowledged report)
      throws SQLException {
    Optional<Build> found = current(connection, buildId, report.workerId(), report.attempt());
    if (found.isEmpty()) {
      return;
    }
    Build build = found.get();
    if (!build.stopRequested() || build.state().isTerminal()) {
      LOG.debugf("cancel acknowledgement for build %s ignored: it is %s", buildId, build.state());
      return;
    }
    Instant now = clock.instant();
    transitions.moved(
        connection,
        build,
        build.finishStopped(now),
        BuildWatchdog.stoppedNote(build, "its worker confirmed"),
        now);
  }

  /** The build, locked, when the report is about its current attempt. */
  private Optional<Build> current(
      Connection connection, String buildId, String workerId, int attempt) throws SQLException {
    Optional<Build> found = builds.lock(connection, buildId);
    if (found.isEmpty()) {
      LOG.warnf("report from %s about unknown build %s ignored", workerId, buildId);
      return Optional.empty();
    }
    Build build = found.get();
    if (!build.isCurrentAttempt(workerId, attempt)) {
      LOG.infof(
          "stale report ignored: build %s attempt %d from worker %s, but the current attempt is %d"
              + " on %s",
          buildId, attempt, workerId, build.attempt(), build.workerId());
      return Optional.empty();
    }
    return found;
  }
}
