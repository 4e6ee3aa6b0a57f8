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
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a move of a build in its three places at once, inside the caller's transaction: the
 * build's row, the history, and the {@code BuildStatusChanged} event in the outbox. The row is
 * written at once, since later work in the transaction reads it; the history entries and events
 * nobody reads before the commit are held back and written together, in the order they were made,
 * when the transaction ends (see {@link PendingWrites}), which saves two round trips to the
 * database per move.
 */
public final class Transitions implements PendingWrites {
  private final BuildRepository builds;
  private final TransitionRepository history;
  private final Outbox outbox;
  private final Map<Connection, Pending> pending =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /** What one transaction holds back. */
  private record Pending(List<TransitionRepository.Entry> moves, List<Envelope> events) {
    Pending() {
      this(new ArrayList<>(), new ArrayList<>());
    }
  }

  public Transitions(BuildRepository builds, TransitionRepository history, Outbox outbox) {
    this.builds = builds;
    this.history = history;
    this.outbox = outbox;
  }

  /** Records a build that just entered the queue for the first time. */
  public void submitted(Connection connection, Build build, String reason, Instant at)
      throws SQLException {
    pending(connection)
        .moves()
        .add(
            new TransitionRepository.Entry(
                build.id(), build.attempt(), null, build.state(), reason, null, at));
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
    pending(connection)
        .moves()
        .add(
            new TransitionRepository.Entry(
                after.id(),
                after.attempt(),
                before.state(),
                after.state(),
                note.reason(),
                workerId,
                at));
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
  public void announce(Connection connection, String buildId, Event event) {
    pending(connection).events().add(Envelope.of(buildId, event));
  }

  @Override
  public void flush(Connection connection) throws SQLException {
    Pending held = pending.remove(connection);
    if (held != null) {
      history.appendAll(connection, held.moves());
      outbox.appendAll(connection, held.events());
    }
  }

  @Override
  public void discard(Connection connection) {
    pending.remove(connection);
  }

  private Pending pending(Connection connection) {
    return pending.computeIfAbsent(connection, c -> new Pending());
  }
}
