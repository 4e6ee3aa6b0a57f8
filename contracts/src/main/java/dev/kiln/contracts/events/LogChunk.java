package dev.kiln.contracts.events;

import java.util.List;

/**
 * Consecutive log lines of one build attempt, batched by the worker.
 *
 * @param attempt the attempt they belong to
 * @param firstSeq the seq of the first line; the others follow without gaps
 * @param lines the lines, in order
 * @param last whether this chunk ends the attempt's log: no line follows it
 */
public record LogChunk(int attempt, long firstSeq, List<LogLine> lines, boolean last)
    implements Event {
  public LogChunk {
    lines = lines == null ? List.of() : List.copyOf(lines);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).seq() != firstSeq + i) {
        throw new IllegalArgumentException(
            "log chunk lines must be consecutive from seq " + firstSeq);
      }
    }
    if (lines.isEmpty() && !last) {
      throw new IllegalArgumentException("only the last chunk of an attempt may be empty");
    }
  }
}
