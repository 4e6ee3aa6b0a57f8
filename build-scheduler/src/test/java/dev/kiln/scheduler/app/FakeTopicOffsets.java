package dev.kiln.scheduler.app;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Topic offsets a test sets by hand: records written ({@link #write}), records the group applied
 * ({@link #apply}), and a broker that can be made unreachable.
 */
final class FakeTopicOffsets implements TopicOffsets {
  private final Map<Partition, Long> ends = new HashMap<>();
  private final Map<Partition, Long> applied = new HashMap<>();
  private volatile boolean reachable = true;

  /** Offsets of a group that has always applied everything, on topics nothing is written to. */
  static FakeTopicOffsets caughtUp() {
    return new FakeTopicOffsets();
  }

  /** Writes {@code count} records to the partition. */
  synchronized void write(Partition partition, long count) {
    ends.merge(partition, count, Long::sum);
  }

  /** Lets the group apply every record written so far. */
  synchronized void applyAll() {
    applied.putAll(ends);
  }

  /** Lets the group apply the partition's records up to {@code offset}. */
  synchronized void apply(Partition partition, long offset) {
    applied.put(partition, offset);
  }

  void reachable(boolean reachable) {
    this.reachable = reachable;
  }

  @Override
  public synchronized Map<Partition, Long> ends() {
    check();
    return Map.copyOf(ends);
  }

  @Override
  public synchronized Map<Partition, Long> applied(Collection<Partition> partitions) {
    check();
    Map<Partition, Long> answer = new HashMap<>();
    for (Partition partition : partitions) {
      answer.put(partition, applied.getOrDefault(partition, 0L));
    }
    return answer;
  }

  private void check() {
    if (!reachable) {
      throw new UnavailableException("the broker is down", null);
    }
  }
}
