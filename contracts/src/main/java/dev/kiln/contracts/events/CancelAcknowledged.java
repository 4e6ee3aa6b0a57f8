package dev.kiln.contracts.events;

import java.util.Objects;

/**
 * A worker stopped an attempt it was told to cancel, and cleaned up after it.
 *
 * @param workerId the worker
 * @param attempt the attempt it stopped
 */
public record CancelAcknowledged(String workerId, int attempt) implements Event {
  public CancelAcknowledged {
    Objects.requireNonNull(workerId, "workerId");
  }
}
