package dev.kiln.scheduler.app;

import dev.kiln.scheduler.app.TopicOffsets.Partition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * How far the scheduler has heard from its workers: the latest moment up to which every heartbeat
 * and report that had reached the broker has been applied, by this instance or by another one of
 * its group. The watchdog judges silent workers and ended leases against it rather than against the
 * clock, so that heartbeats not read yet (the broker was down, the consumer is reconnecting or
 * catching up) never make a live worker look lost.
 *
 * <p>Each {@link #advance()} notes the clock, then the end offsets of the watched partitions (a
 * snapshot), and keeps the snapshot until the group's committed offsets reach all its ends: from
 * then on everything written before its time is known to be applied, and the horizon moves to it.
 * Committed offsets, not this instance's own positions, because the instances of the group share
 * the partitions and each applies only some of them. With heartbeats flowing, the snapshot of one
 * round is heard by the next; with none flowing, at once.
 *
 * <p>While the broker cannot be asked, the horizon stands still. When it answers again, the
 * workers' producers still have to deliver what they held during the outage, and a snapshot taken
 * before they did would count them silent; so no snapshot is taken during the first {@code
 * afterOutage} after the broker answers again, as the watchdog waits after its own start.
 */
public final class HeartbeatHorizon {
  private static final Logger LOG = Logger.getLogger(HeartbeatHorizon.class);

  /** Snapshots kept at most; when the group lags this far behind, the newest is replaced. */
  static final int MAX_PENDING = 64;

  private final TopicOffsets offsets;
  private final Duration afterOutage;
  private final Clock clock;
  private final Deque<Snapshot> pending = new ArrayDeque<>();
  private Instant heardUntil;
  private Instant unreachableSince;
  private Instant quietUntil = Instant.MIN;
  private boolean lagReported;

  /**
   * @param offsets where the group stands on the watched topics
   * @param afterOutage how long after the broker answers again no snapshot is taken, so that
   *     workers deliver what they sent while it was down; also how far the group may fall behind
   *     before that is logged
   */
  public HeartbeatHorizon(TopicOffsets offsets, Duration afterOutage, Clock clock) {
    this.offsets = offsets;
    this.afterOutage = afterOutage;
    this.clock = clock;
  }

  /**
   * Takes a snapshot and moves the horizon to the newest snapshot the group has applied.
   *
   * @return the horizon, or empty while nothing is known to be applied yet
   */
  public synchronized Optional<Instant> advance() {
    Instant now = clock.instant();
    try {
      Map<Partition, Long> ends = offsets.ends();
      reachable(now);
      if (!now.isBefore(quietUntil)) {
        keep(new Snapshot(now, ends));
      }
      if (!pending.isEmpty()) {
        hear(offsets.applied(partitionsOfPending()), now);
      }
    } catch (TopicOffsets.UnavailableException e) {
      if (!Thread.currentThread().isInterrupted()) {
        // Interrupted means the service is stopping, not that the broker is gone.
        unreachable(now, e);
      }
    }
    return current();
  }

  /** The horizon as the last {@link #advance()} left it; empty while nothing is known applied. */
  public synchronized Optional<Instant> current() {
    return Optional.ofNullable(heardUntil);
  }

  private void keep(Snapshot snapshot) {
    if (pending.size() >= MAX_PENDING) {
      pending.removeLast();
    }
    pending.addLast(snapshot);
  }

  private Set<Partition> partitionsOfPending() {
    Set<Partition> partitions = new HashSet<>();
    for (Snapshot snapshot : pending) {
      partitions.addAll(snapshot.ends().keySet());
    }
    return partitions;
  }

  /** Moves the horizon to the newest snapshot whose every end is applied, dropping older ones. */
  private void hear(Map<Partition, Long> applied, Instant now) {
    Snapshot newest = null;
    for (Snapshot snapshot : pending) {
      if (snapshot.appliedBy(applied)) {
        newest = snapshot;
      }
    }
    if (newest != null) {
      for (Iterator<Snapshot> it = pending.iterator(); it.hasNext(); ) {
        Snapshot snapshot = it.next();
        it.remove();
        if (snapshot == newest) {
          break;
        }
      }
      heardUntil = newest.takenAt();
    }
    lagging(now);
  }

  private void lagging(Instant now) {
    boolean behind =
        !pending.isEmpty() && pending.getFirst().takenAt().plus(afterOutage).isBefore(now);
    if (behind && !lagReported) {
      LOG.warnf(
          "the scheduler's group has not applied the heartbeats and reports written %s ago;"
              + " workers are judged only by what it applied (%s)",
          millis(Duration.between(pending.getFirst().takenAt(), now)), heard());
    } else if (!behind && lagReported) {
      LOG.infof("heartbeats and reports are applied in time again (%s)", heard());
    }
    lagReported = behind;
  }

  private void reachable(Instant now) {
    if (unreachableSince == null) {
      return;
    }
    quietUntil = now.plus(afterOutage);
    LOG.infof(
        "the broker answers again after %s; workers are judged again from %s on, once they"
            + " delivered what they sent meanwhile",
        millis(Duration.between(unreachableSince, now)), quietUntil);
    unreachableSince = null;
  }

  private void unreachable(Instant now, TopicOffsets.UnavailableException e) {
    if (unreachableSince != null) {
      return;
    }
    unreachableSince = now;
    LOG.warnf(
        "cannot reach the broker (%s); workers are not judged until heartbeats are read again"
            + " (%s)",
        e.getMessage(), heard());
  }

  private String heard() {
    return heardUntil == null ? "nothing heard yet" : "heard until " + heardUntil;
  }

  private static Duration millis(Duration duration) {
    return duration.truncatedTo(ChronoUnit.MILLIS);
  }

  /** The clock and the end offsets of the watched partitions, noted one after the other. */
  private record Snapshot(Instant takenAt, Map<Partition, Long> ends) {
    Snapshot {
      ends = Map.copyOf(ends);
    }

    boolean appliedBy(Map<Partition, Long> applied) {
      for (Map.Entry<Partition, Long> end : ends.entrySet()) {
        Long reached = applied.get(end.getKey());
        if (reached == null || reached < end.getValue()) {
          return false;
        }
      }
      return true;
    }
  }
}
