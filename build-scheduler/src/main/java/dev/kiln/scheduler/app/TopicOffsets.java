package dev.kiln.scheduler.app;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Where the scheduler's consumer group stands on the topics through which workers show that they
 * are alive: heartbeats, and reports (an accept starts a lease). The Kafka adapter answers it from
 * the broker; {@link HeartbeatHorizon} turns the answers into how far the scheduler has heard.
 */
public interface TopicOffsets {
  /**
   * A partition of a watched topic.
   *
   * @param topic the topic's name
   * @param number the partition's number in it
   */
  record Partition(String topic, int number) {
    public Partition {
      Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
      return topic + "-" + number;
    }
  }

  /**
   * The end of every partition of the watched topics now: the offset the next record written there
   * will get.
   *
   * @throws UnavailableException when the broker does not answer in time
   */
  Map<Partition, Long> ends();

  /**
   * For each of the partitions, the offset before which the scheduler's group has applied every
   * record: the offset it committed (it commits only after applying), or the partition's first
   * offset when that is later (nothing before it is left to read, or it never committed there).
   *
   * @throws UnavailableException when the broker does not answer in time
   */
  Map<Partition, Long> applied(Collection<Partition> partitions);

  /** The broker could not be asked, or did not answer in time. */
  final class UnavailableException extends RuntimeException {
    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
