package dev.kiln.logs.app;

import dev.kiln.logs.domain.LogEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Hands live events of a build to the streams that follow it, in memory, within this instance.
 * Publishing never blocks: each subscription buffers up to its capacity.
 */
@ApplicationScoped
public class LiveFeed {
  private final ConcurrentHashMap<String, Set<LiveSubscription>> subscribers =
      new ConcurrentHashMap<>();

  /**
   * Starts buffering the build's live events for one stream.
   *
   * @param capacity how many messages the subscription may hold
   * @param onOverflow called, on the publishing thread, when the subscription overflowed; it must
   *     not block
   */
  public LiveSubscription subscribe(String buildId, int capacity, Runnable onOverflow) {
    LiveSubscription subscription = new LiveSubscription(this, buildId, capacity, onOverflow);
    subscribers.compute(
        buildId,
        (id, set) -> {
          Set<LiveSubscription> next = set == null ? new CopyOnWriteArraySet<>() : set;
          next.add(subscription);
          return next;
        });
    return subscription;
  }

  /** Gives an event of a build to every stream following it. */
  public void publish(String buildId, LogEvent event) {
    Set<LiveSubscription> set = subscribers.get(buildId);
    if (set != null) {
      set.forEach(subscription -> subscription.offer(event));
    }
  }

  /** Whether any stream follows the build now. */
  public boolean follows(String buildId) {
    return subscribers.containsKey(buildId);
  }

  /** How many streams follow builds now. */
  public int subscriptions() {
    return subscribers.values().stream().mapToInt(Set::size).sum();
  }

  void unsubscribe(LiveSubscription subscription) {
    subscribers.computeIfPresent(
        subscription.buildId(),
        (id, set) -> {
          set.remove(subscription);
          return set.isEmpty() ? null : set;
        });
  }
}
