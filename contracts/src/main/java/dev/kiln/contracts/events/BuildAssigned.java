package dev.kiln.contracts.events;

import dev.kiln.contracts.spec.BuildSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * The scheduler gives a build to one worker. Every worker reads every command and acts only on
 * those addressed to it.
 *
 * @param workerId the worker that must run it
 * @param attempt 1 for the first run, one more for every requeue; reports name it for fencing
 * @param leaseExpiresAt the worker must accept before this instant or the build is requeued
 * @param spec the build to run
 * @param owner who submitted the build
 */
public record BuildAssigned(
    String workerId, int attempt, Instant leaseExpiresAt, BuildSpec spec, String owner)
    implements Event {
  public BuildAssigned {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(spec, "spec");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1");
    }
  }
}
