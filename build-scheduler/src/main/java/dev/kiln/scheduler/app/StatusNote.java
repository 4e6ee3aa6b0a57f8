package dev.kiln.scheduler.app;

import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.ImageInfo;
import java.util.Objects;

/**
 * What a status change says besides its states.
 *
 * @param reason why, such as {@code STARTED} or an error category
 * @param image the image built, on SUCCEEDED
 * @param error what went wrong, when the build did not succeed
 * @param lastSeq the last log line's seq, when a worker reported it
 */
public record StatusNote(String reason, ImageInfo image, BuildError error, Long lastSeq) {
  public StatusNote {
    Objects.requireNonNull(reason, "reason");
  }

  /** A note with a reason only. */
  public static StatusNote because(String reason) {
    return new StatusNote(reason, null, null, null);
  }

  /** A note with a reason and an error. */
  public static StatusNote because(String reason, BuildError error) {
    return new StatusNote(reason, null, error, null);
  }
}
