package dev.kiln.worker.app;

import dev.kiln.contracts.events.LogChunk;
import dev.kiln.contracts.events.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Groups the numbered lines of one build attempt into {@link LogChunk}s. A chunk leaves when it
 * holds {@code maxLines} lines or {@code maxBytes} bytes of text, or {@code linger} after its first
 * line, whichever comes first, so a busy build sends few large records and a quiet one still shows
 * each line at once. Lines must be added in seq order.
 */
public final class LogBatcher {
  /** Where chunks go; the future completes when the chunk is stored. */
  @FunctionalInterface
  public interface ChunkSink {
    CompletableFuture<Void> publish(LogChunk chunk);
  }

  /**
   * When a chunk is full.
   *
   * @param maxLines lines per chunk
   * @param maxBytes UTF-8 bytes of line text per chunk
   * @param linger the longest a line waits for company
   */
  public record Limits(int maxLines, long maxBytes, Duration linger) {
    public Limits {
      if (maxLines < 1 || maxBytes < 1 || linger.isNegative()) {
        throw new IllegalArgumentException("log batch limits must be positive");
      }
    }
  }

  private final int attempt;
  private final Limits limits;
  private final ChunkSink sink;
  private final ScheduledExecutorService timer;
  private final List<LogLine> pending = new ArrayList<>();
  private long pendingBytes;
  private long nextSeq = 1;
  private ScheduledFuture<?> lingering;
  private CompletableFuture<Void> published = CompletableFuture.completedFuture(null);
  private boolean closed;

  public LogBatcher(int attempt, Limits limits, ChunkSink sink, ScheduledExecutorService timer) {
    this.attempt = attempt;
    this.limits = limits;
    this.sink = sink;
    this.timer = timer;
  }

  /** Adds the next line. */
  public synchronized void add(LogLine line) {
    if (closed) {
      throw new IllegalStateException("the log of attempt " + attempt + " is closed");
    }
    if (line.seq() != nextSeq + pending.size()) {
      throw new IllegalArgumentException(
          "log line " + line.seq() + " is out of order; expected " + (nextSeq + pending.size()));
    }
    pending.add(line);
    pendingBytes += utf8Length(line.text());
    if (pending.size() >= limits.maxLines() || pendingBytes >= limits.maxBytes()) {
      flush(false);
    } else if (lingering == null) {
      lingering =
          timer.schedule(this::flushLingering, limits.linger().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Sends what is left as the last chunk (empty when nothing is left) and closes the log.
   *
   * @return completes when every chunk of the attempt is stored; fails when any could not be
   */
  public synchronized CompletableFuture<Void> close() {
    if (!closed) {
      flush(true);
      closed = true;
    }
    return published;
  }

  private synchronized void flushLingering() {
    lingering = null;
    if (!closed && !pending.isEmpty()) {
      flush(false);
    }
  }

  private void flush(boolean last) {
    if (lingering != null) {
      lingering.cancel(false);
      lingering = null;
    }
    LogChunk chunk = new LogChunk(attempt, nextSeq, pending, last);
    nextSeq += pending.size();
    pending.clear();
    pendingBytes = 0;
    CompletableFuture<Void> sent = sink.publish(chunk);
    published = published.thenCombine(sent, (before, now) -> null);
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
