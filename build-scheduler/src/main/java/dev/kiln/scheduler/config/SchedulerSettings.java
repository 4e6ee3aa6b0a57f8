package dev.kiln.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the scheduler times assignments and notices lost workers. */
@ConfigMapping(prefix = "kiln.scheduler")
public interface SchedulerSettings {
  /**
   * How long a worker has to accept an assigned build, and how long a running build lives without a
   * heartbeat that lists it.
   */
  @WithDefault("30s")
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

  /** How often builds of lost workers are looked for. */
  @WithDefault("1s")
  Duration requeueInterval();
}
