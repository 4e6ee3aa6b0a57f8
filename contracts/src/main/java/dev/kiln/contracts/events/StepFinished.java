package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A Dockerfile step ended: the next step began, or the build ended.
 *
 * @param attempt the attempt it belongs to
 * @param step the step's number within the whole build
 * @param stage the stage's number
 * @param stages how many stages buildah builds
 * @param index the step's number within its stage
 * @param total how many steps its stage has
 * @param instruction the instruction as buildah printed it
 * @param line the instruction's Dockerfile line, when known
 * @param cached whether buildah reused a cached layer for it
 * @param failed whether the build failed in this step
 * @param durationMs how long it took
 * @param layer the id buildah gave the layer it made or reused, when known
 * @param seq the seq of the last log line that belongs to it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepFinished(
    int attempt,
    int step,
    int stage,
    int stages,
    int index,
    int total,
    String instruction,
    Integer line,
    boolean cached,
    boolean failed,
    long durationMs,
    String layer,
    long seq)
    implements Event {
  public StepFinished {
    Objects.requireNonNull(instruction, "instruction");
  }
}
