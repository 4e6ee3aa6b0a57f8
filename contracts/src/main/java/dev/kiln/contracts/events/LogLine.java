package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a build's output.
 *
 * @param seq dense per build attempt, starting at 1: no gaps, no repeats
 * @param ts when the worker read it
 * @param stream where it came from
 * @param step the build step it belongs to, {@code null} before the first step
 * @param text the line without its line break
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogLine(long seq, Instant ts, LogStream stream, Integer step, String text) {
  public LogLine {
    if (seq < 1) {
      throw new IllegalArgumentException("log seq starts at 1");
    }
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(text, "text");
  }
}
