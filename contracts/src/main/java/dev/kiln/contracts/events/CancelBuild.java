package dev.kiln.contracts.events;

import java.util.Objects;

/**
 * The scheduler tells a worker to stop one attempt of a build.
 *
 * @param workerId the worker running it
 * @param attempt the attempt to stop
 * @param reason why, so the worker reports the right outcome
 */
public record CancelBuild(String workerId, int attempt, CancelReason reason) implements Event {
  public CancelBuild {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(reason, "reason");
  }
}
