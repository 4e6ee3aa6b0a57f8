package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.contracts.BuildState;
import java.util.Objects;

/**
 * A worker is done with an attempt.
 *
 * @param workerId the worker
 * @param attempt the attempt that ended
 * @param outcome a terminal state: SUCCEEDED, FAILED, CANCELLED, TIMED_OUT or ERROR
 * @param image the image built, when it succeeded
 * @param error what went wrong, when it did not succeed
 * @param lastSeq the sequence number of the attempt's last log line (0 when it printed none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildFinished(
    String workerId,
    int attempt,
    BuildState outcome,
    ImageInfo image,
    BuildError error,
    long lastSeq)
    implements Event {
  public BuildFinished {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(outcome, "outcome");
    if (!outcome.isTerminal()) {
      throw new IllegalArgumentException("a finished build's outcome must be terminal");
    }
  }
}
