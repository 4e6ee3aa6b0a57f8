package dev.kiln.logs.domain;

import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import java.util.Comparator;

/**
 * A Dockerfile step started or finished, placed among the log lines by {@code seq}.
 *
 * @param kind whether the step started or finished
 * @param attempt the attempt it belongs to
 * @param step the step's number within the whole build
 * @param stage the stage's number
 * @param stages how many stages the build has
 * @param index the step's number within its stage
 * @param total how many steps its stage has
 * @param instruction the instruction as the engine printed it
 * @param line the instruction's Dockerfile line, when known
 * @param cached whether a cached layer was reused; {@code null} for a start
 * @param failed whether the build failed in this step; {@code null} for a start
 * @param durationMs how long it took; {@code null} for a start
 * @param layer the layer it made or reused, when known
 * @param seq the log line it is placed after
 */
public record StepEvent(
    Kind kind,
    int attempt,
    int step,
    int stage,
    int stages,
    int index,
    int total,
    String instruction,
    Integer line,
    Boolean cached,
    Boolean failed,
    Long durationMs,
    String layer,
    long seq) {

  /** Log order: by seq, then by step, a start before its finish. */
  public static final Comparator<StepEvent> LOG_ORDER =
      Comparator.comparingLong(StepEvent::seq)
          .thenComparingInt(StepEvent::step)
          .thenComparing(StepEvent::kind);

  /** Whether a step event tells of a start or a finish; the name is what the API shows. */
  public enum Kind {
    STARTED,
    FINISHED;

    public String label() {
      return this == STARTED ? "started" : "finished";
    }

    public static Kind ofLabel(String label) {
      return switch (label) {
        case "started" -> STARTED;
        case "finished" -> FINISHED;
        default -> throw new IllegalArgumentException("unknown step event " + label);
      };
    }
  }

  public static StepEvent of(StepStarted e) {
    return new StepEvent(
        Kind.STARTED,
        e.attempt(),
        e.step(),
        e.stage(),
        e.stages(),
        e.index(),
        e.total(),
        e.instruction(),
        e.line(),
        null,
        null,
        null,
        null,
        e.seq());
  }

  public static StepEvent of(StepFinished e) {
    return new StepEvent(
        Kind.FINISHED,
        e.attempt(),
        e.step(),
        e.stage(),
        e.stages(),
        e.index(),
        e.total(),
        e.instruction(),
        e.line(),
        e.cached(),
        e.failed(),
        e.durationMs(),
        e.layer(),
        e.seq());
  }
}
