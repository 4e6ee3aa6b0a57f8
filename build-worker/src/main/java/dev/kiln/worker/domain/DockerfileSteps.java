package dev.kiln.worker.domain;

import dev.kiln.dockerfile.Analysis;
import dev.kiln.dockerfile.Dockerfile;
import dev.kiln.dockerfile.Instruction;
import dev.kiln.dockerfile.LineRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The steps buildah takes for one build's Dockerfile and the Dockerfile lines of each, from the
 * {@code dockerfile} module's parse and its {@link Analysis} of the build's target and build
 * arguments.
 *
 * <p>buildah announces a step as {@code [stage/stages] STEP n/m: …}. {@code stage} is the stage's
 * position in the Dockerfile, also when stages the target does not need are skipped; {@code stages}
 * is the target's position, and the prefix is left out when that is 1; {@code m} counts the stage's
 * instructions, plus one {@code LABEL} step per {@code --label} when the target is the last stage.
 * A step gets its Dockerfile instruction only when buildah's numbers and keyword are those the
 * analysis expects: a buildah that numbers steps differently gets no line rather than a wrong one.
 */
public final class DockerfileSteps {
  /** Knows no Dockerfile: no step is known, no line is given. */
  public static final DockerfileSteps UNKNOWN = new DockerfileSteps(null, null, new TreeMap<>());

  /**
   * One step of the stage the image is made of, as the image's history records it.
   *
   * @param line the Dockerfile line its instruction starts on, or {@code null} for a step no line
   *     shows (a {@code --label} of the build)
   * @param keyword the instruction's keyword in upper case, such as {@code RUN}
   */
  public record ImageStep(Integer line, String keyword) {}

  /**
   * A step the analysis knows.
   *
   * @param stage the stage's index in the Dockerfile, from 0
   * @param instruction the instruction as the parser typed it, with its lines
   * @param images the images the step pulls after ARG expansion: the base image of a {@code FROM},
   *     the image of a {@code COPY --from} or {@code RUN --mount from}; empty for stages and {@code
   *     scratch}
   */
  public record KnownStep(int stage, Instruction instruction, List<String> images) {
    public KnownStep {
      images = List.copyOf(images);
    }

    /** The line the instruction starts on. */
    public int line() {
      return instruction.lines().start();
    }
  }

  private final Dockerfile dockerfile;
  private final Analysis analysis;
  private final SortedMap<Integer, Integer> buildahSteps;

  private DockerfileSteps(
      Dockerfile dockerfile, Analysis analysis, SortedMap<Integer, Integer> buildahSteps) {
    this.dockerfile = dockerfile;
    this.analysis = analysis;
    this.buildahSteps = buildahSteps;
  }

  /**
   * The steps of a build.
   *
   * @param dockerfile the parsed Dockerfile
   * @param analysis its analysis for the build's target, build arguments and platform
   * @param labels how many {@code --label}s the build passes to buildah
   */
  public static DockerfileSteps of(Dockerfile dockerfile, Analysis analysis, int labels) {
    return new DockerfileSteps(dockerfile, analysis, analysis.buildahSteps(labels));
  }

  /**
   * The Dockerfile step buildah announced, when the analysis expects it.
   *
   * @param stage the stage's number as buildah printed it, from 1 (1 without a prefix)
   * @param stages the number of stages as buildah printed it (1 without a prefix)
   * @param index the step's number within its stage, from 1
   * @param total the stage's number of steps as buildah printed it
   * @param printed the instruction as buildah printed it
   */
  public Optional<KnownStep> step(int stage, int stages, int index, int total, String printed) {
    if (analysis == null || stages != analysis.target() + 1) {
      return Optional.empty();
    }
    int stageIndex = stage - 1;
    Integer expected = buildahSteps.get(stageIndex);
    if (expected == null || expected != total) {
      return Optional.empty();
    }
    List<Instruction> instructions = dockerfile.stages().get(stageIndex).instructions();
    if (index < 1 || index > instructions.size()) {
      return Optional.empty();
    }
    Instruction instruction = instructions.get(index - 1);
    if (!keyword(instruction.source()).equals(keyword(printed))) {
      return Optional.empty();
    }
    List<String> images =
        analysis.images().stream()
            .filter(
                image -> image.stage() == stageIndex && image.lines().equals(instruction.lines()))
            .map(Analysis.ImageUse::reference)
            .toList();
    return Optional.of(new KnownStep(stageIndex, instruction, images));
  }

  /** The Dockerfile line of the step buildah announced, when the analysis expects it. */
  public Optional<Integer> line(int stage, int stages, int index, int total, String printed) {
    return step(stage, stages, index, total, printed).map(KnownStep::line);
  }

  /**
   * The steps of the stage the image is made of, {@code FROM} first, then each instruction, then
   * the steps buildah adds for the build's labels; empty when the Dockerfile is unknown.
   */
  public List<ImageStep> imageStage() {
    if (analysis == null) {
      return List.of();
    }
    int target = analysis.target();
    List<ImageStep> steps = new ArrayList<>();
    for (Instruction instruction : dockerfile.stages().get(target).instructions()) {
      steps.add(new ImageStep(instruction.lines().start(), keyword(instruction.source())));
    }
    int labelSteps = buildahSteps.getOrDefault(target, steps.size()) - steps.size();
    for (int i = 0; i < labelSteps; i++) {
      steps.add(new ImageStep(null, "LABEL"));
    }
    return List.copyOf(steps);
  }

  /**
   * The lines of the stage a {@code COPY --from} or mount names, by name or index, when it is a
   * stage of the Dockerfile.
   */
  public Optional<LineRange> stageLines(String nameOrIndex) {
    if (analysis == null || nameOrIndex == null) {
      return Optional.empty();
    }
    String key = nameOrIndex.toLowerCase(Locale.ROOT);
    return analysis.stages().stream()
        .filter(
            stage ->
                key.equals(String.valueOf(stage.index()))
                    || (stage.name() != null && key.equals(stage.name().toLowerCase(Locale.ROOT))))
        .map(Analysis.StageSummary::lines)
        .findFirst();
  }

  private static String keyword(String instruction) {
    String stripped = instruction.strip();
    int end = 0;
    while (end < stripped.length() && !Character.isWhitespace(stripped.charAt(end))) {
      end++;
    }
    return stripped.substring(0, end).toUpperCase(Locale.ROOT);
  }
}
