package dev.kiln.logs.app;

import java.util.Optional;

/**
 * How far the store has come through the event log, so that a live stream knows when the database
 * holds everything published before a given moment, instead of reading it again and again.
 *
 * <p>A stream takes a {@link Mark} right after it subscribed to live events: anything about its
 * build that it may have missed live was published before, so lies below the mark. Once the store
 * {@link #covers covers} the mark, one more read of the database gets it all. The same is done for
 * lines a live event announced but the database did not hold yet.
 */
public interface StoreProgress {

  /** A position in the event log of one build; opaque to the streams. */
  interface Mark {}

  /**
   * Where the event log of a build ends now: everything published about the build before this call
   * lies below the mark.
   *
   * @return empty when the event log cannot be asked now (the stream asks again later)
   */
  Optional<Mark> mark(String buildId);

  /** Whether everything below the mark is stored. */
  boolean covers(Mark mark);

  /**
   * Starts calling {@code nudge} each time the store has come further, until {@link #stopWaking}.
   * The nudge must not block.
   */
  void wake(Runnable nudge);

  /** Stops calling {@code nudge}. */
  void stopWaking(Runnable nudge);
}
