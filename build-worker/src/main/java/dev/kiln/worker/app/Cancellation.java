package dev.kiln.worker.app;

import dev.kiln.worker.domain.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stop request of one build attempt. Whatever the attempt is doing at the moment (a download,
 * an engine process) registers how to stop it; a request runs those stoppers once.
 */
public final class Cancellation {
  private final List<Runnable> stoppers = new ArrayList<>();
  private StopReason reason;

  /** A registered stopper; closing it ends the registration. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Asks to stop, running every registered stopper on the calling thread.
   *
   * @return false when a stop had been asked for already
   */
  public boolean request(StopReason why) {
    List<Runnable> toRun;
    synchronized (this) {
      if (reason != null) {
        return false;
      }
      reason = why;
      toRun = List.copyOf(stoppers);
    }
    toRun.forEach(Runnable::run);
    return true;
  }

  /** Why a stop was asked for, if it was. */
  public synchronized Optional<StopReason> reason() {
    return Optional.ofNullable(reason);
  }

  public synchronized boolean requested() {
    return reason != null;
  }

  /**
   * Runs {@code stopper} when a stop is asked for while the registration is open, or right away
   * when it was asked for already.
   */
  public Registration onStop(Runnable stopper) {
    boolean already;
    synchronized (this) {
      already = reason != null;
      if (!already) {
        stoppers.add(stopper);
      }
    }
    if (already) {
      stopper.run();
    }
    return () -> {
      synchronized (this) {
        stoppers.remove(stopper);
      }
    };
  }
}
