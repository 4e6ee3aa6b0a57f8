package dev.kiln.worker.app;

import dev.kiln.contracts.events.BuildAssigned;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.contracts.spec.BuildSpec;
import java.time.Instant;

/**
 * One build attempt given to this worker.
 *
 * @param buildId the build
 * @param attempt its attempt
 * @param leaseExpiresAt the worker must accept before this instant or the scheduler moves on
 * @param spec what to build
 */
public record Assignment(String buildId, int attempt, Instant leaseExpiresAt, BuildSpec spec) {
  public static Assignment of(String buildId, BuildAssigned command) {
    return new Assignment(buildId, command.attempt(), command.leaseExpiresAt(), command.spec());
  }

  /** The attempt as heartbeats name it. */
  public RunningAttempt key() {
    return new RunningAttempt(buildId, attempt);
  }
}
