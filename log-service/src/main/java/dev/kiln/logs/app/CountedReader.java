package dev.kiln.logs.app;

import dev.kiln.logs.domain.AttemptProgress;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StepEvent;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A reader that counts each read, so the database load of live streams can be watched. */
final class CountedReader implements LogReader {
  private final LogReader reader;
  private final Runnable counted;

  CountedReader(LogReader reader, Runnable counted) {
    this.reader = reader;
    this.counted = counted;
  }

  @Override
  public Optional<BuildStatus> status(String buildId) {
    counted.run();
    return reader.status(buildId);
  }

  @Override
  public OptionalInt latestLoggedAttempt(String buildId) {
    counted.run();
    return reader.latestLoggedAttempt(buildId);
  }

  @Override
  public AttemptProgress progress(String buildId, int attempt) {
    counted.run();
    return reader.progress(buildId, attempt);
  }

  @Override
  public List<LogEntry> lines(String buildId, int attempt, long after, int limit) {
    counted.run();
    return reader.lines(buildId, attempt, after, limit);
  }

  @Override
  public List<StepEvent> steps(String buildId, int attempt) {
    counted.run();
    return reader.steps(buildId, attempt);
  }
}
