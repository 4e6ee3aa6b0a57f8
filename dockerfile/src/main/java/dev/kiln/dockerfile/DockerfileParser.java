package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the whole Dockerfile syntax: parser directives, line continuations with the escape
 * character, comments, heredocs, the exec and shell forms, every instruction and its flags.
 * Variables are not expanded here; {@link Analysis} does that with the build arguments.
 */
public final class DockerfileParser {
  private DockerfileParser() {}

  /**
   * Parses a Dockerfile.
   *
   * @throws DockerfileException naming the line of the first syntax error
   */
  public static Dockerfile parse(String text) {
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<String> lines = new ArrayList<>(Arrays.asList(body.split("\r?\n", -1)));
    if (!lines.isEmpty() && lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    Directives directives = Directives.read(lines);
    InstructionParser parser = new InstructionParser(directives.escape());
    List<SourceLine> sourceLines = SourceLines.split(lines, directives.escape());
    List<Instruction.Arg> globalArgs = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    for (SourceLine line : sourceLines) {
      Instruction instruction = parser.parse(line);
      if (instruction instanceof Instruction.From) {
        if (current != null) {
          stages.add(stage(stages.size(), current));
        }
        current = new ArrayList<>();
        current.add(instruction);
      } else if (current != null) {
        current.add(instruction);
      } else if (instruction instanceof Instruction.Arg arg) {
        globalArgs.add(arg);
      } else {
        throw new DockerfileException(
            instruction.lines(),
            instruction.keyword() + " comes before the first FROM; only ARG may come before it");
      }
    }
    if (current == null) {
      throw new DockerfileException(
          LineRange.of(Math.max(1, lines.size())),
          sourceLines.isEmpty()
              ? "the Dockerfile has no instructions"
              : "the Dockerfile has no FROM: it needs at least one stage");
    }
    stages.add(stage(stages.size(), current));
    List<LineRange> empty =
        sourceLines.stream().filter(SourceLine::emptyContinuation).map(SourceLine::lines).toList();
    return new Dockerfile(directives, globalArgs, stages, empty);
  }

  private static Stage stage(int index, List<Instruction> instructions) {
    Instruction.From from = (Instruction.From) instructions.getFirst();
    LineRange lines = new LineRange(from.lines().start(), instructions.getLast().lines().end());
    return new Stage(index, from.stageName(), lines, instructions);
  }
}
