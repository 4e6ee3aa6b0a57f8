package dev.kiln.logs.app;

import dev.kiln.logs.domain.AttemptProgress;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StepEvent;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the store holds about builds' logs. Every method throws {@link LogStoreException} when the
 * store cannot answer.
 */
public interface LogReader {

  /** The build's newest status, empty when none was stored. */
  Optional<BuildStatus> status(String buildId);

  /** The highest attempt of the build that has stored lines, empty when none has. */
  OptionalInt latestLoggedAttempt(String buildId);

  /** How much of an attempt's log is stored. */
  AttemptProgress progress(String buildId, int attempt);

  /** Up to {@code limit} lines of an attempt with a seq above {@code after}, ascending. */
  List<LogEntry> lines(String buildId, int attempt, long after, int limit);

  /** The stored step events of an attempt, in log order. */
  List<StepEvent> steps(String buildId, int attempt);
}
