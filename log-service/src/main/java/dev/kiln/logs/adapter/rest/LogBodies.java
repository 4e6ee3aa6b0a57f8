package dev.kiln.logs.adapter.rest;

import dev.kiln.logs.app.LogHistory;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StepSummary;
import java.util.List;
import java.util.Locale;

/** The JSON shapes of the log and step reads. */
final class LogBodies {
  private LogBodies() {}

  /**
   * A page of a log.
   *
   * @param attempt the attempt the lines belong to
   * @param lines the lines, ascending by seq
   * @param next the seq to pass as {@code after} for the next page
   * @param complete whether the log will not grow and this page reaches its end
   */
  record Page(int attempt, List<Line> lines, long next, boolean complete) {
    static Page of(LogHistory.Page page) {
      return new Page(
          page.attempt(),
          page.lines().stream().map(Line::of).toList(),
          page.next(),
          page.complete());
    }
  }

  /**
   * One log line.
   *
   * @param seq its number within the attempt
   * @param ts when the worker read it (ISO-8601)
   * @param stream stdout, stderr or system
   * @param step its build step, {@code null} before the first
   * @param text the line
   */
  record Line(long seq, String ts, String stream, Integer step, String text) {
    static Line of(LogEntry entry) {
      return new Line(
          entry.seq(), entry.ts().toString(), entry.stream(), entry.step(), entry.text());
    }
  }

  /**
   * The steps of an attempt.
   *
   * @param attempt the attempt
   * @param steps its steps by number
   */
  record Steps(int attempt, List<Step> steps) {
    static Steps of(LogHistory.Steps steps) {
      return new Steps(steps.attempt(), steps.steps().stream().map(Step::of).toList());
    }
  }

  /** One step; {@code status} is running, done or failed. */
  record Step(
      int step,
      int stage,
      int stages,
      int index,
      int total,
      String instruction,
      Integer line,
      String status,
      Boolean cached,
      Long durationMs,
      Long startedSeq,
      Long finishedSeq) {
    static Step of(StepSummary s) {
      return new Step(
          s.step(),
          s.stage(),
          s.stages(),
          s.index(),
          s.total(),
          s.instruction(),
          s.line(),
          s.state().name().toLowerCase(Locale.ROOT),
          s.cached(),
          s.durationMs(),
          s.startedSeq(),
          s.finishedSeq());
    }
  }
}
