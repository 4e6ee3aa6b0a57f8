package dev.kiln.scheduler.app;

import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildAssigned;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.adapter.persistence.WorkerRepository;
import dev.kiln.scheduler.domain.Build;
import dev.kiln.scheduler.domain.PlacementPolicy;
import dev.kiln.scheduler.domain.Reasons;
import dev.kiln.scheduler.domain.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Gives queued builds to workers. Safe to run in several scheduler instances at once against one
 * database: queued builds are taken with {@code FOR UPDATE SKIP LOCKED}, so two assigners never
 * hold the same build, and a worker's row is locked before its busy slots are counted, so two
 * assigners never both fill its last slot.
 */
public final class Assigner {
  private static final Logger LOG = Logger.getLogger(Assigner.class);
  private static final int ROUND_LIMIT = 100;

  private final Transactor transactor;
  private final BuildRepository builds;
  private final WorkerRepository workers;
  private final Transitions transitions;
  private final PlacementPolicy policy;
  private final Duration lease;
  private final Clock clock;

  /**
   * @param lease how long a worker has to accept an assigned build
   */
  public Assigner(
      Transactor transactor,
      BuildRepository builds,
      WorkerRepository workers,
      Transitions transitions,
      PlacementPolicy policy,
      Duration lease,
      Clock clock) {
    this.transactor = transactor;
    this.builds = builds;
    this.workers = workers;
    this.transitions = transitions;
    this.policy = policy;
    this.lease = lease;
    this.clock = clock;
  }

  /**
   * Assigns as many queued builds as the workers have room for, in rounds of one transaction each.
   * Runs of one instance take turns (they would only contend with each other).
   *
   * @return how many builds were assigned
   */
  public synchronized int assignQueued() {
    int total = 0;
    int assigned;
    do {
      assigned = transactor.inTransaction(this::round);
      total += assigned;
    } while (assigned == ROUND_LIMIT);
    return total;
  }

  private int round(Connection connection) throws SQLException {
    Instant now = clock.instant();
    Map<String, Worker> open = new LinkedHashMap<>();
    for (Worker worker : workers.all(connection)) {
      if (policy.hasRoom(worker, now)) {
        open.put(worker.id(), worker);
      }
    }
    if (open.isEmpty()) {
      return 0;
    }
    // Taking only builds some open worker can run, and no more than there is room for, keeps a
    // queue head that cannot run now from blocking the builds behind it.
    Set<Platform> platforms = new HashSet<>();
    int room = 0;
    for (Worker worker : open.values()) {
      platforms.add(worker.platform());
      room += worker.free();
    }
    List<Build> queued = builds.lockQueued(connection, platforms, Math.min(room, ROUND_LIMIT));
    int assigned = 0;
    for (Build build : queued) {
      Optional<Worker> worker = place(connection, build, open, now);
      if (worker.isPresent()) {
        assign(connection, build, worker.get(), now);
        open.put(worker.get().id(), worker.get().withBusy(worker.get().busy() + 1));
        assigned++;
      }
    }
    return assigned;
  }

  /** Chooses a worker for the build and locks it, trying the next best while one is taken. */
  private Optional<Worker> place(
      Connection connection, Build build, Map<String, Worker> open, Instant now)
      throws SQLException {
    while (true) {
      Optional<Worker> choice = policy.choose(build.platform(), open.values(), now);
      if (choice.isEmpty()) {
        return Optional.empty();
      }
      String id = choice.get().id();
      Optional<Worker> locked = workers.lockForAssignment(connection, id);
      if (locked.isEmpty()) {
        open.remove(id);
        continue;
      }
      open.put(id, locked.get());
      if (policy.hasRoom(locked.get(), now)) {
        return locked;
      }
    }
  }

  private void assign(Connection connection, Build build, Worker worker, Instant now)
      throws SQLException {
    Build assigned = build.assignTo(worker, now, lease);
    transitions.announce(
        connection,
        build.id(),
        new BuildAssigned(
            worker.id(),
            assigned.attempt(),
            assigned.leaseExpiresAt(),
            assigned.spec(),
            assigned.owner()));
    transitions.moved(connection, build, assigned, StatusNote.because(Reasons.ASSIGNED), now);
    LOG.debugf("build %s attempt %d assigned to %s", build.id(), build.attempt(), worker.id());
  }
}
