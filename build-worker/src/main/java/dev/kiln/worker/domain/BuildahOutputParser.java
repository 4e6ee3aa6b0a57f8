package dev.kiln.worker.domain;

import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads buildah's standard output into step events.
 *
 * <p>buildah announces a step with {@code [stage/stages] STEP index/total: INSTRUCTION} (without
 * the stage prefix for single-stage builds), marks a reused layer with {@code --> Using cache
 * <id>}, names a new layer with {@code --> <id>}, and ends the build with {@code COMMIT}. A RUN
 * step may print anything, including text that looks like these markers, so a {@code STEP} line
 * counts only when it continues the numbering of the steps before it.
 */
public final class BuildahOutputParser implements StepTracker {
  private static final Pattern STEP =
      Pattern.compile("^(?:\\[(\\d+)/(\\d+)\\] )?STEP (\\d+)/(\\d+): (.*)$");
  private static final Pattern COMMIT =
      Pattern.compile("^(?:\\[(\\d+)/(\\d+)\\] )?COMMIT(?: .*)?$");
  private static final Pattern USING_CACHE = Pattern.compile("^--> Using cache ([0-9a-f]{12,64})$");
  private static final Pattern LAYER = Pattern.compile("^--> ([0-9a-f]{11,64})$");

  private final int attempt;
  private DockerfileSteps dockerfile = DockerfileSteps.UNKNOWN;
  private int steps;
  private Step last;
  private Step running;

  /**
   * @param attempt the attempt whose output this is, copied into every event
   */
  public BuildahOutputParser(int attempt) {
    this.attempt = attempt;
  }

  @Override
  public void useDockerfileSteps(DockerfileSteps steps) {
    this.dockerfile = steps;
  }

  @Override
  public Observation onLine(long seq, Instant at, LogStream stream, String text) {
    if (stream == LogStream.STDOUT) {
      Matcher step = STEP.matcher(text);
      if (step.matches()) {
        Step next = stepOf(step, seq, at);
        if (continuesNumbering(next)) {
          return new Observation(next.number, begin(next, at));
        }
      }
      if (running != null && marksRunningStep(text)) {
        int ending = running.number;
        return new Observation(ending, endOnCommit(seq, at));
      }
    }
    if (running == null) {
      return new Observation(null, List.of());
    }
    running.lastSeq = seq;
    return new Observation(running.number, List.of());
  }

  @Override
  public Optional<StepStarted> runningStep() {
    return Optional.ofNullable(running).map(this::started);
  }

  @Override
  public Optional<StepFinished> finish(boolean failed, Instant at) {
    if (running == null) {
      return Optional.empty();
    }
    StepFinished finished = finished(running, failed, at);
    running = null;
    return Optional.of(finished);
  }

  private Step stepOf(Matcher step, long seq, Instant at) {
    boolean staged = step.group(1) != null;
    return new Step(
        steps + 1,
        staged ? Integer.parseInt(step.group(1)) : 1,
        staged ? Integer.parseInt(step.group(2)) : 1,
        Integer.parseInt(step.group(3)),
        Integer.parseInt(step.group(4)),
        step.group(5),
        seq,
        at);
  }

  private boolean continuesNumbering(Step next) {
    if (next.index < 1 || next.index > next.total || next.stage > next.stages) {
      return false;
    }
    if (last == null) {
      return next.index == 1;
    }
    if (next.stages != last.stages) {
      return false;
    }
    boolean sameStage =
        next.stage == last.stage && next.index == last.index + 1 && next.total == last.total;
    boolean laterStage = next.stage > last.stage && next.index == 1;
    return sameStage || laterStage;
  }

  private List<Event> begin(Step next, Instant at) {
    steps++;
    last = next;
    next.line =
        dockerfile
            .line(next.stage, next.stages, next.index, next.total, next.instruction)
            .orElse(null);
    StepStarted started = started(next);
    if (running == null) {
      running = next;
      return List.of(started);
    }
    StepFinished previous = finished(running, false, at);
    running = next;
    return List.of(previous, started);
  }

  /** Notes cache and layer markers; returns true when the line is a COMMIT of the running stage. */
  private boolean marksRunningStep(String text) {
    Matcher cache = USING_CACHE.matcher(text);
    if (cache.matches()) {
      running.cached = true;
      running.layer = cache.group(1);
      return false;
    }
    Matcher layer = LAYER.matcher(text);
    if (layer.matches()) {
      if (running.layer == null || !running.layer.startsWith(layer.group(1))) {
        running.layer = layer.group(1);
      }
      return false;
    }
    Matcher commit = COMMIT.matcher(text);
    if (!commit.matches()) {
      return false;
    }
    return commit.group(1) == null || Integer.parseInt(commit.group(1)) == running.stage;
  }

  private List<Event> endOnCommit(long seq, Instant at) {
    running.lastSeq = seq;
    StepFinished finished = finished(running, false, at);
    running = null;
    return List.of(finished);
  }

  private StepStarted started(Step step) {
    return new StepStarted(
        attempt,
        step.number,
        step.stage,
        step.stages,
        step.index,
        step.total,
        step.instruction,
        step.line,
        step.firstSeq);
  }

  private StepFinished finished(Step step, boolean failed, Instant at) {
    long durationMs = Math.max(0, Duration.between(step.startedAt, at).toMillis());
    return new StepFinished(
        attempt,
        step.number,
        step.stage,
        step.stages,
        step.index,
        step.total,
        step.instruction,
        step.line,
        step.cached,
        failed,
        durationMs,
        step.layer,
        step.lastSeq);
  }

  /** A step as it runs; the mutable fields fill in while its lines arrive. */
  private static final class Step {
    final int number;
    final int stage;
    final int stages;
    final int index;
    final int total;
    final String instruction;
    final long firstSeq;
    final Instant startedAt;
    long lastSeq;
    Integer line;
    boolean cached;
    String layer;

    Step(
        int number,
        int stage,
        int stages,
        int index,
        int total,
        String instruction,
        long firstSeq,
        Instant startedAt) {
      this.number = number;
      this.stage = stage;
      this.stages = stages;
      this.index = index;
      this.total = total;
      this.instruction = instruction;
      this.firstSeq = firstSeq;
      this.lastSeq = firstSeq;
      this.startedAt = startedAt;
    }
  }
}
