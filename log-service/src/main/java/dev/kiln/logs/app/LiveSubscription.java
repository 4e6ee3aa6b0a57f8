package dev.kiln.logs.app;

import dev.kiln.logs.domain.LogEvent;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live events of one build buffered for one stream. Lines and the other events (steps,
 * statuses) each may hold up to {@code capacity} messages. Lines that do not fit are only noted as
 * existing ({@link #takeSkipped()}), since the stream can read them from the store: a stream that
 * replays a long log while lines pour in is not cut off. When the other events do not fit, the
 * stream stopped taking anything: the subscription drops what it holds, takes nothing more, and
 * tells its owner, who closes the stream. A {@link #nudge} wakes the owner from {@link #poll}
 * without an event, when something else it waits for happened.
 */
public final class LiveSubscription implements AutoCloseable {
  private final LiveFeed feed;
  private final String buildId;
  private final int capacity;
  private final Runnable onOverflow;
  private static final Object NUDGE = new Object();

  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final AtomicBoolean nudged = new AtomicBoolean();
  private final AtomicInteger heldLines = new AtomicInteger();
  private final AtomicInteger heldOthers = new AtomicInteger();
  private final AtomicReference<LogEvent.LinesSkipped> skipped = new AtomicReference<>();
  private volatile boolean overflowed;

  LiveSubscription(LiveFeed feed, String buildId, int capacity, Runnable onOverflow) {
    this.feed = feed;
    this.buildId = buildId;
    this.capacity = capacity;
    this.onOverflow = onOverflow;
  }

  public String buildId() {
    return buildId;
  }

  /** Whether the stream fell too far behind; no event is buffered any more then. */
  public boolean overflowed() {
    return overflowed;
  }

  void offer(LogEvent event) {
    if (overflowed) {
      return;
    }
    if (event instanceof LogEvent.Lines lines) {
      if (heldLines.get() + lines.weight() > capacity) {
        skipped.accumulateAndGet(
            new LogEvent.LinesSkipped(lines.attempt(), lines.lastSeq(), lines.last()),
            LiveSubscription::merge);
        return;
      }
      heldLines.addAndGet(lines.weight());
    } else if (heldOthers.addAndGet(event.weight()) > capacity) {
      overflowed = true;
      events.clear();
      nudged.set(false);
      onOverflow.run();
      return;
    }
    events.add(event);
  }

  /** Wakes a {@link #poll} that waits, or makes the next one return at once. Never blocks. */
  public void nudge() {
    if (nudged.compareAndSet(false, true)) {
      events.add(NUDGE);
    }
  }

  /**
   * The next buffered event, waiting up to {@code wait}; {@code null} when none came or when the
   * subscription was nudged.
   */
  public LogEvent poll(Duration wait) throws InterruptedException {
    Object next =
        wait.isZero() || wait.isNegative()
            ? events.poll()
            : events.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    if (next == NUDGE) {
      nudged.set(false);
      return null;
    }
    LogEvent event = (LogEvent) next;
    if (event != null) {
      (event instanceof LogEvent.Lines ? heldLines : heldOthers).addAndGet(-event.weight());
    }
    return event;
  }

  /** The lines that did not fit since the last call, as one note; {@code null} when none. */
  public LogEvent.LinesSkipped takeSkipped() {
    return skipped.getAndSet(null);
  }

  private static LogEvent.LinesSkipped merge(
      LogEvent.LinesSkipped kept, LogEvent.LinesSkipped next) {
    if (kept == null || next.attempt() > kept.attempt()) {
      return next;
    }
    if (next.attempt() < kept.attempt()) {
      return kept;
    }
    return new LogEvent.LinesSkipped(
        kept.attempt(), Math.max(kept.lastSeq(), next.lastSeq()), kept.last() || next.last());
  }

  @Override
  public void close() {
    feed.unsubscribe(this);
    events.clear();
    nudged.set(false);
  }
}
