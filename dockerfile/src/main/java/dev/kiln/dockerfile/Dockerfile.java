package dev.kiln.dockerfile;

import java.util.List;

/**
 * A parsed Dockerfile.
 *
 * @param directives the parser directives at its top
 * @param globalArgs the ARGs before the first FROM, which only FROM lines see directly
 * @param stages the build stages in order
 * @param emptyContinuations lines that were empty inside a line continuation
 */
public record Dockerfile(
    Directives directives,
    List<Instruction.Arg> globalArgs,
    List<Stage> stages,
    List<LineRange> emptyContinuations) {
  public Dockerfile {
    globalArgs = List.copyOf(globalArgs);
    stages = List.copyOf(stages);
    emptyContinuations = List.copyOf(emptyContinuations);
  }

  /** Every instruction in order, the global ARGs first. */
  public List<Instruction> instructions() {
    return java.util.stream.Stream.concat(
            globalArgs.stream().map(Instruction.class::cast),
            stages.stream().flatMap(stage -> stage.instructions().stream()))
        .toList();
  }
}
