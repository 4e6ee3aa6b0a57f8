package dev.kiln.contracts.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The one shape of every Kafka record in Kiln.
 *
 * @param eventId unique per event; consumers use it to drop redeliveries
 * @param type the payload's type, such as {@code BuildRequested}
 * @param schemaVersion the payload's shape version
 * @param occurredAt when the producer created the event
 * @param buildId the build it is about, also the record key; {@code null} only for heartbeats
 * @param payload the event itself
 */
public record Envelope(
    UUID eventId,
    String type,
    int schemaVersion,
    Instant occurredAt,
    String buildId,
    Event payload) {

  public Envelope {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(payload, "payload");
    if (!payload.type().equals(type)) {
      throw new IllegalArgumentException(
          "envelope type " + type + " does not match its payload " + payload.type());
    }
    if (buildId == null && !(payload instanceof WorkerHeartbeat)) {
      throw new IllegalArgumentException(type + " needs a buildId");
    }
  }

  /** A new envelope for {@code payload}, stamped now. */
  public static Envelope of(String buildId, Event payload) {
    return new Envelope(
        UUID.randomUUID(),
        payload.type(),
        payload.schemaVersion(),
        Instant.now(),
        buildId,
        payload);
  }

  /**
   * The Kafka record key: the build id, or the worker id for a heartbeat, so that everything about
   * one build (or one worker) stays in order on one partition.
   */
  public String key() {
    return payload instanceof WorkerHeartbeat heartbeat ? heartbeat.workerId() : buildId;
  }
}
