package dev.kiln.worker.app;

import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepStarted;
import java.util.List;
import java.util.Optional;

/** The log of one build attempt, as an engine writes to it. Safe to call from many threads. */
public interface BuildOutput {
  /** Appends one line, without its line break. */
  void line(LogStream stream, String text);

  /** Appends a line of Kiln's own, such as "pushing to …". */
  default void system(String text) {
    line(LogStream.SYSTEM, text);
  }

  /**
   * The bytes of one line a reader of engine output should keep at most; the rest of a longer line
   * may be dropped, since the log cuts it anyway.
   */
  default int lineBytesToKeep() {
    return Integer.MAX_VALUE;
  }

  /** The step running now, if any. */
  Optional<StepStarted> runningStep();

  /** The last lines appended, oldest first, for explaining a failure. */
  List<LogLine> recentLines();
}
