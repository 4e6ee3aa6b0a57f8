package dev.kiln.logs.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How much of one attempt's log is stored.
 *
 * @param attempt the attempt
 * @param storedLines how many of its lines are stored (seqs are unique, so all of 1..n when n)
 * @param finalSeq its last line's seq, once its last chunk was stored
 */
public record AttemptProgress(int attempt, long storedLines, Long finalSeq) {

  /** An attempt with nothing stored. */
  public static AttemptProgress none(int attempt) {
    return new AttemptProgress(attempt, 0, null);
  }

  /**
   * The attempt's final seq: from its last chunk, or else from the terminal status of the build
   * when that status belongs to this attempt; {@code null} while unknown.
   */
  public Long finalSeq(Optional<BuildStatus> status) {
    if (finalSeq != null) {
      return finalSeq;
    }
    return status.filter(s -> s.attempt() == attempt).map(BuildStatus::lastSeq).orElse(null);
  }

  /**
   * Whether the log of this attempt is whole and will not grow: the build ended and every line up
   * to the final seq is stored. A build that ended without a worker ever printing a line is
   * complete too; one that ended with lines but without a known final seq is complete once the
   * grace has passed. An attempt replaced by a newer one is complete when no final seq is known,
   * since no worker writes to it any more.
   *
   * @param status the build's status, empty when unknown
   * @param grace how long to wait for a final seq after the build ended
   */
  public boolean complete(Optional<BuildStatus> status, Instant now, Duration grace) {
    if (status.isEmpty()) {
      return false;
    }
    BuildStatus build = status.get();
    Long last = finalSeq(status);
    if (attempt < build.attempt()) {
      return last == null || storedLines >= last;
    }
    if (!build.terminal()) {
      return false;
    }
    if (last != null) {
      return storedLines >= last;
    }
    return storedLines == 0 || !now.isBefore(build.changedAt().plus(grace));
  }
}
