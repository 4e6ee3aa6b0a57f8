package dev.kiln.worker.domain;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.events.ErrorCategory;

/** Why a worker stopped a running build, and what it reports for it. */
public enum StopReason {
  /** A person or a tool cancelled the build. */
  USER_REQUESTED(
      BuildState.CANCELLED, ErrorCategory.CANCELLED, "cancelled on request", "Submit it again."),
  /** The build ran past its time limit. */
  TIMEOUT(
      BuildState.TIMED_OUT,
      ErrorCategory.TIMEOUT,
      "stopped: the build ran past its time limit",
      "Raise limits.timeoutSeconds or make the build faster."),
  /** The scheduler gave the build to a newer attempt. */
  SUPERSEDED(
      BuildState.CANCELLED,
      ErrorCategory.CANCELLED,
      "stopped: a newer attempt of this build replaced it",
      "Follow the newer attempt."),
  /** The worker itself is shutting down. */
  WORKER_STOPPING(
      BuildState.ERROR,
      ErrorCategory.INTERNAL,
      "worker stopping",
      "Retry the build; another worker can run it.");

  private final BuildState outcome;
  private final ErrorCategory category;
  private final String message;
  private final String suggestion;

  StopReason(BuildState outcome, ErrorCategory category, String message, String suggestion) {
    this.outcome = outcome;
    this.category = category;
    this.message = message;
    this.suggestion = suggestion;
  }

  /** The reason for a cancel command from the scheduler. */
  public static StopReason of(CancelReason reason) {
    return switch (reason) {
      case USER_REQUESTED -> USER_REQUESTED;
      case TIMEOUT -> TIMEOUT;
      case SUPERSEDED -> SUPERSEDED;
    };
  }

  /** The terminal state the worker reports for a build stopped for this reason. */
  public BuildState outcome() {
    return outcome;
  }

  /** The error the worker reports with it. */
  public BuildError error() {
    return BuildError.of(category, message, suggestion);
  }

  /** Whether the scheduler asked for the stop and waits for a {@code CancelAcknowledged}. */
  public boolean commanded() {
    return this != WORKER_STOPPING;
  }

  /** The log line that tells a reader why the build stops. */
  public String logLine() {
    return "stopping the build: " + message;
  }
}
