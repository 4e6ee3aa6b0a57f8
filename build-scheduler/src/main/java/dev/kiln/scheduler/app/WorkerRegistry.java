package dev.kiln.scheduler.app;

import dev.kiln.contracts.events.WorkerHeartbeat;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.adapter.persistence.WorkerRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Keeps the worker registry from heartbeats, and extends the leases of what workers run. */
public final class WorkerRegistry {
  private static final Logger LOG = Logger.getLogger(WorkerRegistry.class);

  private final WorkerRepository workers;
  private final BuildRepository builds;
  private final Duration lease;
  private final Clock clock;

  /**
   * @param lease how far a heartbeat that lists an attempt moves its lease
   */
  public WorkerRegistry(
      WorkerRepository workers, BuildRepository builds, Duration lease, Clock clock) {
    this.workers = workers;
    this.builds = builds;
    this.lease = lease;
    this.clock = clock;
  }

  /**
   * Records a heartbeat: the worker is seen now. Heartbeats are ordered by the time the worker sent
   * them, so a redelivered or overtaken one changes nothing; that is why they need no inbox.
   *
   * @param sentAt when the worker sent it
   */
  public void heartbeat(Connection connection, WorkerHeartbeat heartbeat, Instant sentAt)
      throws SQLException {
    Instant now = clock.instant();
    if (!workers.record(connection, heartbeat, sentAt, now)) {
      LOG.debugf("older heartbeat of worker %s dropped", heartbeat.workerId());
      return;
    }
    builds.extendLeases(connection, heartbeat.workerId(), heartbeat.running(), now.plus(lease));
  }
}
