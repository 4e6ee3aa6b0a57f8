package dev.kiln.scheduler.app;

import dev.kiln.contracts.events.BuildAssigned;
import dev.kiln.scheduler.adapter.persistence.AffinityRepository;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.adapter.persistence.OwnerRepository;
import dev.kiln.scheduler.adapter.persistence.WorkerRepository;
import dev.kiln.scheduler.domain.Build;
import dev.kiln.scheduler.domain.FairShare;
import dev.kiln.scheduler.domain.Placement;
import dev.kiln.scheduler.domain.PlacementPolicy;
import dev.kiln.scheduler.domain.Reasons;
import dev.kiln.scheduler.domain.SourceKey;
import dev.kiln.scheduler.domain.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Gives queued builds to workers: builds are offered slots in {@link FairShare} order, and each
 * goes where {@link PlacementPolicy} says. Safe to run in several scheduler instances at once
 * against one database: queued builds are locked with {@code FOR UPDATE SKIP LOCKED}, so two
 * assigners never hold the same build, and the assignment locks of the workers with room are taken,
 * all in one statement, before their busy slots are counted, so two assigners never both fill a
 * worker's last slot.
 */
public final class Assigner {
  private static final Logger LOG = Logger.getLogger(Assigner.class);
  private static final int ROUND_LIMIT = 100;

  /**
   * How many more queued builds than free slots a round looks at, so that builds that cannot go
   * anywhere now (waiting for their preferred worker, or taken by another instance) leave room for
   * those behind them.
   */
  private static final int LOOK_AHEAD = 2;

  /** How many times a round picks again from the queue's head when other instances hold it. */
  private static final int HEAD_TRIES = 4;

  private final Transactor transactor;
  private final BuildRepository builds;
  private final WorkerRepository workers;
  private final OwnerRepository owners;
  private final AffinityRepository affinity;
  private final Transitions transitions;
  private final PlacementPolicy placement;
  private final FairShare fairShare;
  private final Duration lease;
  private final Clock clock;

  /**
   * @param lease how long a worker has to accept an assigned build
   */
  public Assigner(
      Transactor transactor,
      BuildRepository builds,
      WorkerRepository workers,
      OwnerRepository owners,
      AffinityRepository affinity,
      Transitions transitions,
      PlacementPolicy placement,
      FairShare fairShare,
      Duration lease,
      Clock clock) {
    this.transactor = transactor;
    this.builds = builds;
    this.workers = workers;
    this.owners = owners;
    this.affinity = affinity;
    this.transitions = transitions;
    this.placement = placement;
    this.fairShare = fairShare;
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
    Map<String, Worker> known = new LinkedHashMap<>();
    List<String> withRoom = new ArrayList<>();
    for (Worker worker : workers.all(connection)) {
      known.put(worker.id(), worker);
      if (placement.hasRoom(worker, now)) {
        withRoom.add(worker.id());
      }
    }
    if (withRoom.isEmpty()) {
      return 0;
    }
    // From here on the locked workers' counts in `known` stay exact: other assigners cannot add to
    // them, and reports only free slots. A worker another instance holds is full for this round.
    Map<String, Worker> locked = workers.lockForAssignment(connection, withRoom);
    List<Worker> open = new ArrayList<>();
    int room = 0;
    for (String id : withRoom) {
      Worker worker = locked.get(id);
      if (worker == null) {
        known.put(id, known.get(id).withBusy(known.get(id).slotsTotal()));
        continue;
      }
      known.put(id, worker);
      if (placement.hasRoom(worker, now)) {
        open.add(worker);
        room += worker.free();
      }
    }
    if (room == 0) {
      return 0;
    }
    int limit = Math.min(room, ROUND_LIMIT);
    Map<String, FairShare.OwnerLoad> loads = new HashMap<>();
    List<Build> queued = lockQueueHead(connection, open, now, limit * LOOK_AHEAD, loads);
    if (queued.isEmpty()) {
      return 0;
    }
    Map<SourceKey, String> preferred =
        affinity.preferredWorkers(connection, queued.stream().map(Build::sourceKey).toList());
    FairShare.Round round = fairShare.round(queued, loads, now);
    Set<String> served = new HashSet<>();
    int assigned = 0;
    Optional<Build> next;
    while (assigned < limit && (next = round.next()).isPresent()) {
      Build build = next.get();
      Placement choice =
          placement.place(
              build, Optional.ofNullable(preferred.get(build.sourceKey())), known.values(), now);
      if (!(choice instanceof Placement.OnWorker on)) {
        round.skipped(build);
        continue;
      }
      Worker worker = on.worker();
      assign(connection, build, worker, now);
      known.put(worker.id(), worker.withBusy(worker.busy() + 1));
      round.placed(build);
      served.add(build.owner());
      assigned++;
    }
    owners.served(connection, served, now);
    return assigned;
  }

  /**
   * Locks up to {@code wanted} builds from the head of the queue. Builds another instance holds are
   * passed over and the next ones in fair order are picked instead, so two instances assign side by
   * side rather than one waiting for the other's round; a few tries at most, so an instance does
   * not walk the whole queue while another holds its head.
   */
  private List<Build> lockQueueHead(
      Connection connection,
      List<Worker> open,
      Instant now,
      int wanted,
      Map<String, FairShare.OwnerLoad> loads)
      throws SQLException {
    List<Build> locked = new ArrayList<>();
    Set<String> tried = new HashSet<>();
    for (int attempt = 0; attempt < HEAD_TRIES && locked.size() < wanted; attempt++) {
      BuildRepository.QueueHead head =
          builds.queueHead(connection, open, now, fairShare.aging(), wanted - locked.size(), tried);
      if (head.ids().isEmpty()) {
        break;
      }
      tried.addAll(head.ids());
      head.loads().forEach(loads::putIfAbsent);
      locked.addAll(builds.lockQueued(connection, head.ids()));
    }
    return locked;
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
