package dev.kiln.contracts.events;

/**
 * The payload of an {@link Envelope}. The envelope's {@code type} is the payload's simple class
 * name, so the set of permitted records is the set of event types.
 */
public sealed interface Event
    permits BuildRequested,
        CancelRequested,
        BuildAssigned,
        CancelBuild,
        BuildAccepted,
        BuildFinished,
        CancelAcknowledged,
        BuildStatusChanged,
        StepStarted,
        StepFinished,
        LogChunk,
        WorkerHeartbeat {

  /** The name written in the envelope's {@code type} field. */
  default String type() {
    return getClass().getSimpleName();
  }

  /** The version of this record's shape; bumped only with a new topic. */
  default int schemaVersion() {
    return 1;
  }
}
