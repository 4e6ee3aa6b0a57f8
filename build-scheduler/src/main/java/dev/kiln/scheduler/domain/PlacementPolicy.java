package dev.kiln.scheduler.domain;

import dev.kiln.contracts.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which worker a queued build goes to. Only a worker that is alive, not stopping, builds for the
 * platform the build asks for (any, when it names none) and carries every label the build requires
 * may take it. Among those, the worker that last built the same source wins when it has a free
 * slot; when it is busy the build waits for it, but never longer than the affinity wait, counted
 * from when the build entered the queue. Otherwise the least loaded worker with a free slot wins,
 * so that work spreads across the farm instead of piling onto the first worker.
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
  private final Duration affinityWait;

  /**
   * @param workerTimeout how long after its last heartbeat a worker still counts as alive
   * @param affinityWait how long a build may wait for the worker that last built its source
   */
  public PlacementPolicy(Duration workerTimeout, Duration affinityWait) {
    this.workerTimeout = Objects.requireNonNull(workerTimeout, "workerTimeout");
    this.affinityWait = Objects.requireNonNull(affinityWait, "affinityWait");
  }

  /** Whether the worker takes builds now: alive and not stopping, whatever its load. */
  public boolean takesBuilds(Worker worker, Instant now) {
    return worker.isAlive(now, workerTimeout) && !worker.stopping();
  }

  /** Whether the worker may take one more build now, of any platform. */
  public boolean hasRoom(Worker worker, Instant now) {
    return takesBuilds(worker, now) && worker.free() > 0;
  }

  /** Whether a build asking for {@code wanted} ({@code null}: any) may run on the worker. */
  public static boolean fits(Platform wanted, Map<String, String> requiredLabels, Worker worker) {
    return (wanted == null || wanted.equals(worker.platform()))
        && worker.labels().entrySet().containsAll(requiredLabels.entrySet());
  }

  /** Whether the build may run on the worker: platform and labels. */
  public static boolean fits(Build build, Worker worker) {
    return fits(build.platform(), build.workerLabels(), worker);
  }

  /**
   * Where the build goes now.
   *
   * @param preferred the worker that last built the build's source, if any did
   * @param workers every known worker with its current load
   */
  public Placement place(
      Build build, Optional<String> preferred, Collection<Worker> workers, Instant now) {
    if (preferred.isPresent()) {
      Optional<Worker> favourite =
          workers.stream()
              .filter(w -> w.id().equals(preferred.get()))
              .filter(w -> takesBuilds(w, now) && fits(build, w))
              .findFirst();
      if (favourite.isPresent()) {
        if (favourite.get().free() > 0) {
          return new Placement.OnWorker(favourite.get(), true);
        }
        if (now.isBefore(build.waitingSince().plus(affinityWait))) {
          return new Placement.WaitForPreferred(favourite.get().id());
        }
      }
    }
    return workers.stream()
        .filter(w -> hasRoom(w, now) && fits(build, w))
        .min(LEAST_LOADED)
        .<Placement>map(w -> new Placement.OnWorker(w, false))
        .orElseGet(Placement.Nowhere::new);
  }
}
