package dev.kiln.scheduler.domain;

import dev.kiln.contracts.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Which worker a queued build goes to: one that is alive, not stopping, builds for the platform the
 * build asks for (any, when it names none) and has a free slot; among those the least loaded, so
 * that work spreads across the farm instead of piling onto the first worker.
 */
public final class PlacementPolicy {
  /**
   * Lowest share of busy slots first, then most free slots, then the id so that equal workers are
   * chosen in a stable order.
   */
  static final Comparator<Worker> LEAST_LOADED =
      Comparator.<Worker>comparingDouble(w -> (double) w.busy() / w.slotsTotal())
          .thenComparing(Comparator.comparingInt(Worker::free).reversed())
          .thenComparing(Worker::id);

  private final Duration workerTimeout;

  /**
   * @param workerTimeout how long after its last heartbeat a worker still counts as alive
   */
  public PlacementPolicy(Duration workerTimeout) {
    this.workerTimeout = Objects.requireNonNull(workerTimeout, "workerTimeout");
  }

  /** Whether the worker may take one more build now, of any platform. */
  public boolean hasRoom(Worker worker, Instant now) {
    return worker.isAlive(now, workerTimeout) && !worker.stopping() && worker.free() > 0;
  }

  /** Whether a build asking for {@code wanted} ({@code null}: any) may run on the worker. */
  public static boolean fits(Platform wanted, Worker worker) {
    return wanted == null || wanted.equals(worker.platform());
  }

  /** The worker a build asking for {@code wanted} should go to, if any can take it now. */
  public Optional<Worker> choose(Platform wanted, Collection<Worker> workers, Instant now) {
    return workers.stream()
        .filter(worker -> hasRoom(worker, now) && fits(wanted, worker))
        .min(LEAST_LOADED);
  }
}
