package dev.kiln.contracts;

/** Where a build is in its life. Only the build-scheduler moves a build between states. */
public enum BuildState {
  /** Waiting for a worker. */
  QUEUED,
  /** Given to a worker that has not yet confirmed it started. */
  ASSIGNED,
  /** A worker is building it. */
  RUNNING,
  /** Built (and pushed, when asked). */
  SUCCEEDED,
  /** The build itself failed: a bad Dockerfile, a failing RUN, a missing base image. */
  FAILED,
  /** Someone cancelled it. */
  CANCELLED,
  /** It ran past its time limit. */
  TIMED_OUT,
  /** It waited in the queue past its time to live. */
  EXPIRED,
  /** The farm failed, not the build: workers kept dying, storage broke. */
  ERROR;

  /** Whether no further move is possible from this state. */
  public boolean isTerminal() {
    return BuildStateMachine.isTerminal(this);
  }
}
