package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A worker began a Dockerfile step (buildah's {@code [stage/stages] STEP index/total:} line).
 *
 * @param attempt the attempt it belongs to
 * @param step the step's number within the whole build, 1 for the first; log lines name it
 * @param stage the stage's number, 1 for the first
 * @param stages how many stages buildah builds
 * @param index the step's number within its stage
 * @param total how many steps its stage has
 * @param instruction the instruction as buildah printed it
 * @param line the instruction's Dockerfile line, when known
 * @param seq the seq of the log line that announced it, so readers can place it among the lines
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepStarted(
    int attempt,
    int step,
    int stage,
    int stages,
    int index,
    int total,
    String instruction,
    Integer line,
    long seq)
    implements Event {
  public StepStarted {
    Objects.requireNonNull(instruction, "instruction");
  }
}
