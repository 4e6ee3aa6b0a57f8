package dev.kiln.scheduler.domain;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.CancelReason;
import java.time.Instant;
import java.util.Objects;

/**
 * The scheduler told the worker of a build's current attempt to stop it, and waits for the worker
 * to confirm.
 *
 * @param reason why: {@link CancelReason#USER_REQUESTED} or {@link CancelReason#TIMEOUT}
 * @param at when the worker was told, the start of the cancel grace
 */
public record StopRequest(CancelReason reason, Instant at) {
  public StopRequest {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    if (reason == CancelReason.SUPERSEDED) {
      throw new IllegalArgumentException(
          "a superseded attempt is not waited for; the build has moved on");
    }
  }

  /** The state the build ends in when the stop is confirmed, or when no worker is left to ask. */
  public BuildState outcome() {
    return reason == CancelReason.TIMEOUT ? BuildState.TIMED_OUT : BuildState.CANCELLED;
  }
}
