package dev.kiln.contracts.events;

import java.util.Objects;

/**
 * A worker started an assigned build.
 *
 * @param workerId the worker
 * @param attempt the attempt it started; a report naming an older attempt is ignored
 */
public record BuildAccepted(String workerId, int attempt) implements Event {
  public BuildAccepted {
    Objects.requireNonNull(workerId, "workerId");
  }
}
