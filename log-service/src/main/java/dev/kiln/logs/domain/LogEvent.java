package dev.kiln.logs.domain;

import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.LogChunk;
import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import java.util.List;
import java.util.Optional;

/** An event log-service stores and streams: log lines, a step, or a status change. */
public sealed interface LogEvent {

  /** How many stream messages the event may become; bounds a subscriber's buffer. */
  int weight();

  /**
   * Consecutive lines of one attempt.
   *
   * @param attempt the attempt
   * @param firstSeq the seq of the first line, also given when {@code lines} is empty
   * @param lines the lines, consecutive from {@code firstSeq}
   * @param last whether no line follows them in this attempt
   */
  record Lines(int attempt, long firstSeq, List<LogEntry> lines, boolean last) implements LogEvent {
    public Lines {
      lines = List.copyOf(lines);
    }

    /** The seq of the chunk's last line; {@code firstSeq - 1} for an empty chunk. */
    public long lastSeq() {
      return lines.isEmpty() ? firstSeq - 1 : lines.getLast().seq();
    }

    @Override
    public int weight() {
      return Math.max(1, lines.size());
    }
  }

  /**
   * Lines that exist but were not kept for a stream that fell behind; it reads them from the store.
   *
   * @param attempt the attempt
   * @param lastSeq lines up to this seq exist
   * @param last whether no line follows them in this attempt
   */
  record LinesSkipped(int attempt, long lastSeq, boolean last) implements LogEvent {
    @Override
    public int weight() {
      return 1;
    }
  }

  /** A step started or finished. */
  record Step(StepEvent step) implements LogEvent {
    @Override
    public int weight() {
      return 1;
    }
  }

  /** The build's status changed. */
  record Status(BuildStatus status) implements LogEvent {
    @Override
    public int weight() {
      return 1;
    }
  }

  /** The log event an envelope carries, or empty for events log-service does not keep. */
  static Optional<LogEvent> of(Envelope envelope) {
    return Optional.ofNullable(
        switch (envelope.payload()) {
          case LogChunk c ->
              new Lines(
                  c.attempt(),
                  c.firstSeq(),
                  c.lines().stream().map(line -> LogEntry.of(c.attempt(), line)).toList(),
                  c.last());
          case StepStarted s -> new Step(StepEvent.of(s));
          case StepFinished s -> new Step(StepEvent.of(s));
          case BuildStatusChanged s -> new Status(BuildStatus.of(s, envelope.occurredAt()));
          default -> null;
        });
  }
}
