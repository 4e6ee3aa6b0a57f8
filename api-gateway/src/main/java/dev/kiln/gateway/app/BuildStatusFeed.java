package dev.kiln.gateway.app;

import dev.kiln.contracts.events.BuildStatusChanged;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Hands every build status change this gateway instance reads to the clients of the status feed, in
 * memory. Publishing never blocks: each listener decides what to do with a client that does not
 * keep up.
 */
@ApplicationScoped
public class BuildStatusFeed {
  /**
   * A status change of a build.
   *
   * @param buildId the build
   * @param owner who owns the build ({@code null} when this gateway has no record of it), so that
   *     each client hears only of builds it may see
   * @param change the move, as the scheduler announced it
   * @param at when the scheduler moved it
   */
  public record StatusChange(String buildId, String owner, BuildStatusChanged change, Instant at) {}

  /** Receives status changes; must not block. */
  @FunctionalInterface
  public interface Listener {
    void statusChanged(StatusChange change);
  }

  private final Set<Listener> listeners = new CopyOnWriteArraySet<>();

  public void subscribe(Listener listener) {
    listeners.add(listener);
  }

  public void unsubscribe(Listener listener) {
    listeners.remove(listener);
  }

  public void publish(StatusChange change) {
    listeners.forEach(listener -> listener.statusChanged(change));
  }

  /** How many clients follow the feed now. */
  public int listeners() {
    return listeners.size();
  }
}
