package dev.kiln.logs.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one polled batch of events changes in the store: lines to add, attempts whose last line
 * became known, steps to add, and each build's newest status.
 *
 * @param lines every line of every chunk, in the order received
 * @param finals the attempts a chunk marked as ended, with their final seq
 * @param steps the step events, in the order received
 * @param statuses the newest status of each build in the batch
 */
public record LogBatch(
    List<BuildLine> lines,
    List<AttemptEnd> finals,
    List<BuildStep> steps,
    List<LatestStatus> statuses) {

  /** A line of a build. */
  public record BuildLine(String buildId, LogEntry entry) {}

  /** The final seq of an attempt, known from its last chunk. */
  public record AttemptEnd(String buildId, int attempt, long finalSeq) {}

  /** A step event of a build. */
  public record BuildStep(String buildId, StepEvent step) {}

  /** The status of a build. */
  public record LatestStatus(String buildId, BuildStatus status) {}

  /** An event of one build, as received. */
  public record BuildEvent(String buildId, LogEvent event) {}

  public static LogBatch of(List<BuildEvent> events) {
    List<BuildLine> lines = new ArrayList<>();
    List<AttemptEnd> finals = new ArrayList<>();
    List<BuildStep> steps = new ArrayList<>();
    Map<String, BuildStatus> newest = new LinkedHashMap<>();
    for (BuildEvent event : events) {
      String buildId = event.buildId();
      switch (event.event()) {
        case LogEvent.Lines chunk -> {
          chunk.lines().forEach(line -> lines.add(new BuildLine(buildId, line)));
          if (chunk.last()) {
            finals.add(new AttemptEnd(buildId, chunk.attempt(), chunk.lastSeq()));
          }
        }
        case LogEvent.LinesSkipped skipped -> {
          // Only streams see these; the lines themselves were received for storing.
        }
        case LogEvent.Step step -> steps.add(new BuildStep(buildId, step.step()));
        case LogEvent.Status status ->
            newest.merge(
                buildId, status.status(), (kept, next) -> kept.isLaterThan(next) ? kept : next);
      }
    }
    List<LatestStatus> statuses = new ArrayList<>();
    newest.forEach((buildId, status) -> statuses.add(new LatestStatus(buildId, status)));
    return new LogBatch(lines, finals, steps, statuses);
  }

  public boolean isEmpty() {
    return lines.isEmpty() && finals.isEmpty() && steps.isEmpty() && statuses.isEmpty();
  }
}
