package dev.kiln.logs.app;

import dev.kiln.logs.config.LogServiceConfig;
import dev.kiln.logs.domain.AttemptProgress;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StepSummary;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reads stored logs and steps, a page at a time. */
@ApplicationScoped
public class LogHistory {
  private final LogReader reader;
  private final LogServiceConfig config;

  public LogHistory(LogReader reader, LogServiceConfig config) {
    this.reader = reader;
    this.config = config;
  }

  /**
   * A page of an attempt's log.
   *
   * @param attempt the attempt read
   * @param lines its lines after the requested seq
   * @param next the seq to ask for after this page
   * @param complete whether the log will not grow and this page reaches its end
   */
  public record Page(int attempt, List<LogEntry> lines, long next, boolean complete) {}

  /**
   * The steps of an attempt.
   *
   * @param attempt the attempt read
   * @param steps its steps by number
   */
  public record Steps(int attempt, List<StepSummary> steps) {}

  /** Receives a log page by page. */
  @FunctionalInterface
  public interface PageWriter {
    void write(List<LogEntry> lines) throws IOException;
  }

  /**
   * The lines after {@code after} of the requested attempt, or of the latest one.
   *
   * @throws BuildNotFoundException when nothing is known about the build
   * @throws AttemptNotFoundException when the build has no such attempt
   */
  public Page page(String buildId, Optional<Integer> requestedAttempt, long after, int limit) {
    Optional<BuildStatus> status = reader.status(buildId);
    int attempt = attempt(buildId, status, requestedAttempt);
    List<LogEntry> lines = reader.lines(buildId, attempt, after, limit);
    // Read after the lines: a log found whole now held every line the page could have had.
    AttemptProgress progress = reader.progress(buildId, attempt);
    long next = lines.isEmpty() ? after : lines.getLast().seq();
    boolean whole = progress.complete(status, Instant.now(), config.finalSeqGrace());
    Long finalSeq = progress.finalSeq(status);
    boolean atEnd = lines.size() < limit || (finalSeq != null && next >= finalSeq);
    return new Page(attempt, lines, next, whole && atEnd);
  }

  /**
   * Resolves the attempt a whole-log read is about.
   *
   * @throws BuildNotFoundException when nothing is known about the build
   * @throws AttemptNotFoundException when the build has no such attempt
   */
  public int attempt(String buildId, Optional<Integer> requestedAttempt) {
    return attempt(buildId, reader.status(buildId), requestedAttempt);
  }

  /** Hands every stored line of an attempt to {@code writer}, one page at a time. */
  public void eachPage(String buildId, int attempt, PageWriter writer) throws IOException {
    long after = 0;
    while (true) {
      List<LogEntry> lines = reader.lines(buildId, attempt, after, config.pageSize());
      if (lines.isEmpty()) {
        return;
      }
      writer.write(lines);
      if (lines.size() < config.pageSize()) {
        return;
      }
      after = lines.getLast().seq();
    }
  }

  /**
   * The steps of the requested attempt, or of the latest one.
   *
   * @throws BuildNotFoundException when nothing is known about the build
   * @throws AttemptNotFoundException when the build has no such attempt
   */
  public Steps steps(String buildId, Optional<Integer> requestedAttempt) {
    int attempt = attempt(buildId, reader.status(buildId), requestedAttempt);
    return new Steps(attempt, StepSummary.merge(reader.steps(buildId, attempt)));
  }

  private int attempt(
      String buildId, Optional<BuildStatus> status, Optional<Integer> requestedAttempt) {
    OptionalInt logged = reader.latestLoggedAttempt(buildId);
    if (status.isEmpty() && logged.isEmpty()) {
      throw new BuildNotFoundException(buildId);
    }
    int latest = Math.max(status.map(BuildStatus::attempt).orElse(0), logged.orElse(0));
    if (requestedAttempt.isPresent() && requestedAttempt.get() > latest) {
      throw new AttemptNotFoundException(buildId, requestedAttempt.get(), latest);
    }
    return requestedAttempt.orElse(latest);
  }
}
