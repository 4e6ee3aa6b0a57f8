package dev.kiln.scheduler.app;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.CancelBuild;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.events.CancelRequested;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.domain.Build;
import dev.kiln.scheduler.domain.Reasons;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Takes what the API asks for: new builds into the queue, and cancellations. */
public final class BuildIntake {
  private static final Logger LOG = Logger.getLogger(BuildIntake.class);

  private final BuildRepository builds;
  private final Transitions transitions;
  private final Clock clock;

  public BuildIntake(BuildRepository builds, Transitions transitions, Clock clock) {
    this.builds = builds;
    this.transitions = transitions;
    this.clock = clock;
  }

  /**
   * Queues a new build for its first attempt. A request for an id already known changes nothing.
   *
   * @param requestedAt when the API accepted it
   */
  public void requested(
      Connection connection, String buildId, BuildRequested request, Instant requestedAt)
      throws SQLException {
    Instant now = clock.instant();
    Build build = Build.submitted(buildId, request.owner(), request.spec(), requestedAt, now);
    if (builds.insert(connection, build)) {
      transitions.submitted(connection, build, Reasons.SUBMITTED, now);
    } else {
      LOG.debugf("build %s was requested again; it is already known", buildId);
    }
  }

  /**
   * Cancels a queued build at once; asks the worker of an assigned or running one to stop it, which
   * cancels it when the worker confirms, when the worker is lost, or after the cancel grace (see
   * {@link BuildWatchdog}). A finished build stays as it is.
   */
  public void cancelRequested(Connection connection, String buildId, CancelRequested request)
      throws SQLException {
    Optional<Build> found = builds.lock(connection, buildId);
    if (found.isEmpty()) {
      LOG.warnf("cancel of unknown build %s ignored", buildId);
      return;
    }
    Build build = found.get();
    Instant now = clock.instant();
    switch (build.state()) {
      case QUEUED ->
          transitions.moved(
              connection,
              build,
              build.finish(BuildState.CANCELLED, now),
              StatusNote.because(Reasons.CANCELLED_BY_USER, cancelError(request)),
              now);
      case ASSIGNED, RUNNING -> {
        if (build.stopRequested()) {
          LOG.debugf("cancel of build %s ignored: its worker was told to stop it already", buildId);
          return;
        }
        builds.update(connection, build.withStopRequested(CancelReason.USER_REQUESTED, now));
        transitions.announce(
            connection,
            buildId,
            new CancelBuild(build.workerId(), build.attempt(), CancelReason.USER_REQUESTED));
      }
      default -> LOG.debugf("cancel of build %s ignored: it is %s", buildId, build.state());
    }
  }

  private static BuildError cancelError(CancelRequested request) {
    String by = request.requestedBy() == null ? "" : " by " + request.requestedBy();
    String why = request.reason() == null ? "" : ": " + request.reason();
    return BuildError.of(ErrorCategory.CANCELLED, "cancelled" + by + why, null);
  }
}
