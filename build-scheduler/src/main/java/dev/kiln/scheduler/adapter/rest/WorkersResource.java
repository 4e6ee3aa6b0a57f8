package dev.kiln.scheduler.adapter.rest;

import dev.kiln.scheduler.adapter.persistence.WorkerRepository;
import dev.kiln.scheduler.app.Transactor;
import dev.kiln.scheduler.config.SchedulerSettings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The worker registry, read-only, for operators and tests. */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkersResource {
  private final Transactor transactor;
  private final WorkerRepository workers;
  private final SchedulerSettings settings;
  private final Clock clock;

  public WorkersResource(
      Transactor transactor, WorkerRepository workers, SchedulerSettings settings, Clock clock) {
    this.transactor = transactor;
    this.workers = workers;
    this.settings = settings;
    this.clock = clock;
  }

  /** Every worker that ever sent a heartbeat, ordered by id. */
  @GET
  public List<WorkerView> list() {
    Instant now = clock.instant();
    return transactor.inTransaction(workers::all).stream()
        .map(worker -> WorkerView.of(worker, now, settings.workerTimeout()))
        .toList();
  }
}
