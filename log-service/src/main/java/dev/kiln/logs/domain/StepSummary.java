package dev.kiln.logs.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A step of an attempt as a person reads it: its start and finish merged.
 *
 * @param step the step's number within the build
 * @param stage its stage
 * @param stages how many stages the build has
 * @param index its number within its stage
 * @param total how many steps its stage has
 * @param instruction the instruction
 * @param line its Dockerfile line, when known
 * @param state running, done or failed
 * @param cached whether a cached layer was reused, once finished
 * @param durationMs how long it took, once finished
 * @param startedSeq the line that announced it, when its start is known
 * @param finishedSeq its last line, once finished
 */
public record StepSummary(
    int step,
    int stage,
    int stages,
    int index,
    int total,
    String instruction,
    Integer line,
    State state,
    Boolean cached,
    Long durationMs,
    Long startedSeq,
    Long finishedSeq) {

  /** Where a step is. */
  public enum State {
    RUNNING,
    DONE,
    FAILED
  }

  /** The steps of one attempt, by step number, from its start and finish events. */
  public static List<StepSummary> merge(List<StepEvent> events) {
    Map<Integer, StepEvent[]> byStep = new TreeMap<>();
    for (StepEvent event : events) {
      byStep.computeIfAbsent(event.step(), step -> new StepEvent[2])[event.kind().ordinal()] =
          event;
    }
    List<StepSummary> steps = new ArrayList<>(byStep.size());
    for (StepEvent[] pair : byStep.values()) {
      StepEvent started = pair[StepEvent.Kind.STARTED.ordinal()];
      StepEvent finished = pair[StepEvent.Kind.FINISHED.ordinal()];
      StepEvent known = finished != null ? finished : started;
      State state =
          finished == null
              ? State.RUNNING
              : Boolean.TRUE.equals(finished.failed()) ? State.FAILED : State.DONE;
      steps.add(
          new StepSummary(
              known.step(),
              known.stage(),
              known.stages(),
              known.index(),
              known.total(),
              known.instruction(),
              known.line(),
              state,
              finished == null ? null : finished.cached(),
              finished == null ? null : finished.durationMs(),
              started == null ? null : started.seq(),
              finished == null ? null : finished.seq()));
    }
    steps.sort(Comparator.comparingInt(StepSummary::step));
    return steps;
  }
}
