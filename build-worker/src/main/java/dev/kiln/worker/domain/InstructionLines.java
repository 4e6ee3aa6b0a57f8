package dev.kiln.worker.domain;

import java.util.List;
import java.util.Optional;

/**
 * Where each Dockerfile instruction of a build starts, so steps, layers and errors can name their
 * line. One per build: stages are matched to the Dockerfile in the order the engine builds them.
 */
public interface InstructionLines {
  /** Knows no lines. */
  InstructionLines NONE =
      new InstructionLines() {
        @Override
        public Optional<Integer> line(int stage, int stages, int index, String instruction) {
          return Optional.empty();
        }

        @Override
        public List<Instruction> imageStage(String target) {
          return List.of();
        }
      };

  /**
   * One instruction of the Dockerfile.
   *
   * @param line the 1-based line it starts on
   * @param keyword its keyword in upper case, such as {@code RUN}
   */
  record Instruction(int line, String keyword) {}

  /**
   * The line of a step as the engine numbers it.
   *
   * @param stage the stage's number among the {@code stages} the engine builds, from 1
   * @param index the instruction's number within its stage, 1 for {@code FROM}
   * @param instruction the instruction as the engine printed it
   */
  Optional<Integer> line(int stage, int stages, int index, String instruction);

  /**
   * The instructions of the stage the image is made of, {@code FROM} first.
   *
   * @param target the stage asked for, or {@code null} for the last one
   */
  List<Instruction> imageStage(String target);
}
