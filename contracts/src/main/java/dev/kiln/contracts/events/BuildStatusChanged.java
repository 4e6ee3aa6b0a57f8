package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.contracts.BuildState;
import java.util.Objects;

/**
 * A build moved from one state to another. The only source of truth about status: readers keep
 * their own projection of it.
 *
 * @param from the state before, {@code null} for the first event of a build
 * @param to the state after
 * @param attempt the attempt the move belongs to
 * @param reason why, in a word or a sentence (such as {@code WORKER_LOST})
 * @param workerId the worker involved, when there is one
 * @param image the image built, on SUCCEEDED
 * @param error what went wrong, on FAILED, TIMED_OUT, CANCELLED, ERROR and EXPIRED
 * @param lastSeq for a terminal move after a worker finished: its last log line's seq
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildStatusChanged(
    BuildState from,
    BuildState to,
    int attempt,
    String reason,
    String workerId,
    ImageInfo image,
    BuildError error,
    Long lastSeq)
    implements Event {
  public BuildStatusChanged {
    Objects.requireNonNull(to, "to");
  }
}
