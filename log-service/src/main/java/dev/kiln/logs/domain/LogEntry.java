package dev.kiln.logs.domain;

import dev.kiln.contracts.events.LogLine;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * One stored or streamed log line of a build attempt.
 *
 * <p>The timestamp is cut to microseconds and NUL characters are replaced, because PostgreSQL keeps
 * no finer time and no NUL in text: a line read back from the database then equals the line that
 * was streamed live.
 *
 * @param attempt the attempt it belongs to
 * @param seq its number within the attempt, dense from 1
 * @param ts when the worker read it
 * @param stream {@code stdout}, {@code stderr} or {@code system}
 * @param step the build step it belongs to, {@code null} before the first step
 * @param text the line without its line break
 */
public record LogEntry(
    int attempt, long seq, Instant ts, String stream, Integer step, String text) {
  public LogEntry {
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(text, "text");
    ts = ts.truncatedTo(ChronoUnit.MICROS);
    if (text.indexOf('\0') >= 0) {
      text = text.replace('\0', '\uFFFD');
    }
  }

  /** The entry for a line of a {@code LogChunk}. */
  public static LogEntry of(int attempt, LogLine line) {
    return new LogEntry(
        attempt,
        line.seq(),
        line.ts(),
        line.stream().name().toLowerCase(Locale.ROOT),
        line.step(),
        line.text());
  }
}
