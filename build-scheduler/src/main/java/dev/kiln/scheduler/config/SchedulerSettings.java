package dev.kiln.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the scheduler times assignments, notices lost workers, and shares the farm. */
@ConfigMapping(prefix = "kiln.scheduler")
public interface SchedulerSettings {
  /**
   * How long a worker has to accept an assigned build, and how long a running build lives without a
   * heartbeat that lists it; workers heartbeat every third of it.
   */
  @WithDefault("15s")
  Duration lease();

  /** How long after its last heartbeat a worker still counts as alive. */
  @WithDefault("15s")
  Duration workerTimeout();

  /** Attempts a build gets when its workers are lost; after the last it ends as ERROR. */
  @WithDefault("3")
  int maxAttempts();

  /** How often queued builds are assigned, besides after every batch of consumed events. */
  @WithDefault("500ms")
  Duration assignInterval();

  /**
   * How often the watchdog looks for lost workers, builds past their timeout, unconfirmed stops
   * past the cancel grace and builds queued past the queue's time to live.
   */
  @WithDefault("1s")
  Duration watchInterval();

  /** How long a build may wait in the queue before it is EXPIRED. */
  @WithDefault("24h")
  Duration queueTtl();

  /**
   * How long a worker has to confirm that it stopped a build it was told to cancel or time out;
   * after that the build is CANCELLED (or TIMED_OUT) without the confirmation.
   */
  @WithDefault("30s")
  Duration cancelGrace();

  /**
   * How long a build may wait, counted from when it entered the queue, for the worker that last
   * built its source to free a slot, before it goes to the least loaded worker instead.
   */
  @WithDefault("10s")
  Duration affinityWait();

  /** The wait in the queue that raises a build's effective priority by one, among its owner's. */
  @WithDefault("1m")
  Duration aging();
}
