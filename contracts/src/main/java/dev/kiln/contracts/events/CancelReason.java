package dev.kiln.contracts.events;

/** Why a running build is being stopped. */
public enum CancelReason {
  /** A person or a tool asked for it. */
  USER_REQUESTED,
  /** It ran past its {@code timeoutSeconds}. */
  TIMEOUT,
  /** The scheduler moved the build to a newer attempt; this one must not go on. */
  SUPERSEDED
}
