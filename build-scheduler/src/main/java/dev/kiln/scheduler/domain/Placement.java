package dev.kiln.scheduler.domain;

/** Where a queued build goes now, as {@link PlacementPolicy} decides. */
public sealed interface Placement {
  /**
   * On this worker, which has a free slot.
   *
   * @param preferred whether it is the worker that last built the same source
   */
  record OnWorker(Worker worker, boolean preferred) implements Placement {}

  /**
   * Nowhere yet: the worker that last built the same source is busy, and the build has not waited
   * for it as long as it may.
   *
   * @param workerId the preferred worker
   */
  record WaitForPreferred(String workerId) implements Placement {}

  /** Nowhere: no live worker that fits the build has a free slot. */
  record Nowhere() implements Placement {}
}
