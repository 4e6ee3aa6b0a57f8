package dev.kiln.gateway.app;

/** Publishes the events stored with {@link BuildStore} to Kafka. */
public interface RequestRelay {
  /** Says that events were just committed, so they go out without waiting for the next poll. */
  void wakeUp();
}
