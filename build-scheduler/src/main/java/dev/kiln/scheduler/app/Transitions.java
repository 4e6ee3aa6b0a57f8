package dev.kiln.scheduler.app;

import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.Event;
import dev.kiln.messaging.Outbox;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.adapter.persistence.TransitionRepository;
import dev.kiln.scheduler.domain.Build;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Writes a move of a build in its three places at once, inside the caller's transaction: the
 * build's row, the history, and the {@code BuildStatusChanged} event in the outbox.
 */
public final class Transitions {
  private final BuildRepository builds;
  private final TransitionRepository history;
  private final Outbox outbox;

  public Transitions(BuildRepository builds, TransitionRepository history, Outbox outbox) {
    this.builds = builds;
    this.history = history;
    this.outbox = outbox;
  }

  /** Records a build that just entered the queue for the first time. */
  public void submitted(Connection connection, Build build, String reason, Instant at)
      throws SQLException {
    history.append(connection, build.id(), build.attempt(), null, build.state(), reason, null, at);
    announce(
        connection,
        build.id(),
        new BuildStatusChanged(
            null, build.state(), build.attempt(), reason, null, null, null, null));
  }

  /**
   * Records {@code before → after}; the caller holds the build's row lock.
   *
   * @param at when the move happened
   */
  public void moved(Connection connection, Build before, Build after, StatusNote note, Instant at)
      throws SQLException {
    String workerId = after.workerId() != null ? after.workerId() : before.workerId();
    builds.update(connection, after);
    history.append(
        connection,
        after.id(),
        after.attempt(),
        before.state(),
        after.state(),
        note.reason(),
        workerId,
        at);
    announce(
        connection,
        after.id(),
        new BuildStatusChanged(
            before.state(),
            after.state(),
            after.attempt(),
            note.reason(),
            workerId,
            note.image(),
            note.error(),
            note.lastSeq()));
  }

  /** Writes an event about a build to the outbox, such as a command for its worker. */
  public void announce(Connection connection, String buildId, Event event) throws SQLException {
    outbox.append(connection, Envelope.of(buildId, event));
  }
}
