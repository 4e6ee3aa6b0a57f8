package dev.kiln.worker.app;

import dev.kiln.contracts.events.Event;
import java.util.concurrent.CompletableFuture;

/** Where the worker's events go: reports, steps, log chunks and heartbeats. */
public interface EventSink {
  /**
   * Publishes one event.
   *
   * @param buildId the build it is about; {@code null} only for heartbeats
   * @return completes when the event is stored durably, or fails when it cannot be
   */
  CompletableFuture<Void> publish(String buildId, Event event);
}
