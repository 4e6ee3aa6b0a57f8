package dev.kiln.cli.progress;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The steps of a build as the stream has told of them so far. */
final class Steps {
  /** One Dockerfile step. */
  static final class Step {
    final int number;
    final String label;
    final long startedNanos = System.nanoTime();
    State state = State.RUNNING;
    long durationMs;
    final List<String> tail = new ArrayList<>();

    Step(int number, String label) {
      this.number = number;
      this.label = label;
    }

    long elapsedMs() {
      return state == State.RUNNING ? (System.nanoTime() - startedNanos) / 1_000_000 : durationMs;
    }
  }

  enum State {
    RUNNING,
    DONE,
    CACHED,
    FAILED
  }

  /** buildah's own step headers, which the step messages already show. */
  private static final Pattern HEADER = Pattern.compile("^(\\[\\d+/\\d+] )?STEP \\d+/\\d+: ");

  private final Map<Integer, Step> steps = new TreeMap<>();

  /** Whether a log line is buildah's header of a step. */
  static boolean isStepHeader(String text) {
    return HEADER.matcher(text).find();
  }

  /** Applies a {@code step} message; returns the step it is about. */
  Step apply(JsonNode message) {
    int number = message.path("step").asInt();
    Step step = steps.computeIfAbsent(number, n -> new Step(n, label(message)));
    if ("finished".equals(message.path("event").asText())) {
      step.durationMs = message.path("durationMs").asLong();
      step.state =
          message.path("failed").asBoolean()
              ? State.FAILED
              : message.path("cached").asBoolean() ? State.CACHED : State.DONE;
    }
    return step;
  }

  Step get(int number) {
    return steps.get(number);
  }

  Collection<Step> all() {
    return steps.values();
  }

  long finished() {
    return steps.values().stream().filter(step -> step.state != State.RUNNING).count();
  }

  /** {@code [1/2] RUN make}: the stage when there are several, then the instruction. */
  static String label(JsonNode message) {
    int stages = message.path("stages").asInt(1);
    String instruction = message.path("instruction").asText();
    return stages > 1
        ? "[" + message.path("stage").asInt() + "/" + stages + "] " + instruction
        : instruction;
  }
}
