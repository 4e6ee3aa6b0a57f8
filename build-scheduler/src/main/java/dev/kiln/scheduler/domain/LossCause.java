package dev.kiln.scheduler.domain;

/** Why the scheduler gave up on an attempt's worker. */
public enum LossCause {
  /**
   * The worker did not accept the build, or stopped listing it as running, before the lease ran
   * out.
   */
  LEASE_EXPIRED,
  /** The worker's heartbeats stopped for longer than the worker timeout. */
  WORKER_SILENT,
  /** The worker process restarted and does not run the attempt any more. */
  WORKER_RESTARTED
}
