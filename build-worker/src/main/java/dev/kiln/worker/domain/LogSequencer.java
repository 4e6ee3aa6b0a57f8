package dev.kiln.worker.domain;

import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Numbers the lines of one build attempt, whatever stream they come from: 1, 2, 3, … with no gap,
 * and tags each with the step it belongs to. Not thread-safe: one lock around it keeps the numbers
 * in the order the lines are handed on.
 */
public final class LogSequencer {
  private final StepTracker steps;
  private long lastSeq;

  public LogSequencer(StepTracker steps) {
    this.steps = steps;
  }

  /** A numbered line and the step events it caused. */
  public record Sequenced(LogLine line, List<Event> stepEvents) {}

  /** Numbers one line. */
  public Sequenced append(Instant at, LogStream stream, String text) {
    long seq = ++lastSeq;
    StepTracker.Observation seen = steps.onLine(seq, at, stream, text);
    return new Sequenced(new LogLine(seq, at, stream, seen.step(), text), seen.events());
  }

  /**
   * Shows one line to the step tracker without numbering it: a line that is not published, whose
   * step events still are. Those events carry the seq of the last numbered line.
   */
  public List<Event> observe(Instant at, LogStream stream, String text) {
    return steps.onLine(Math.max(1, lastSeq), at, stream, text).events();
  }

  /** From now on, names each step's Dockerfile line with the build's Dockerfile steps. */
  public void useDockerfileSteps(DockerfileSteps dockerfile) {
    steps.useDockerfileSteps(dockerfile);
  }

  /** The seq of the last line numbered, 0 before the first. */
  public long lastSeq() {
    return lastSeq;
  }

  /** Ends the running step because the build ended. */
  public Optional<StepFinished> finish(boolean failed, Instant at) {
    return steps.finish(failed, at);
  }

  /** The step running now, if any. */
  public Optional<StepStarted> runningStep() {
    return steps.runningStep();
  }
}
