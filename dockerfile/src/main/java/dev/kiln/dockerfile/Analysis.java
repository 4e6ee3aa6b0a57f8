package dev.kiln.dockerfile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What building a Dockerfile for one target involves: its stages and how they depend on each other,
 * the targets it offers, the ARGs it declares, the images it uses once ARGs are expanded, and its
 * steps. Stages the target does not need are skipped, as BuildKit and buildah (whose {@code
 * --skip-unused-stages} is on by default) skip them.
 *
 * @param target the stage built: the one asked for, or the last
 * @param stages every stage, whether built or not
 * @param targets the names of the stages that can be given as target
 * @param args every ARG declaration, the global ones first
 * @param images the images the built stages use (FROM, {@code COPY --from}, {@code RUN --mount
 *     from}), after ARG expansion
 * @param steps the steps of the built stages in build order, numbered per stage as buildah does
 */
public record Analysis(
    int target,
    List<StageSummary> stages,
    List<String> targets,
    List<DeclaredArg> args,
    List<ImageUse> images,
    List<Step> steps) {

  /** What a stage is based on. */
  public enum BaseKind {
    /** An image from a registry. */
    IMAGE,
    /** An earlier stage of the same Dockerfile. */
    STAGE,
    /** Nothing: {@code FROM scratch}. */
    SCRATCH
  }

  /**
   * One stage.
   *
   * @param base what FROM names after ARG expansion
   * @param baseStage the stage it is based on, or {@code null}
   * @param dependsOn the earlier stages it needs (its base, and those it copies or mounts from)
   * @param built whether building the target builds it
   * @param stepCount its steps: one per instruction, FROM included
   */
  public record StageSummary(
      int index,
      String name,
      LineRange lines,
      String base,
      BaseKind baseKind,
      Integer baseStage,
      List<Integer> dependsOn,
      boolean built,
      int stepCount) {}

  /**
   * One ARG a build can be given.
   *
   * @param defaultValue the default as written, or {@code null} when it has none
   * @param stage the stage that declares it, or {@code null} for an ARG before the first FROM
   */
  public record DeclaredArg(String name, String defaultValue, Integer stage, LineRange lines) {}

  /**
   * An image a built stage uses.
   *
   * @param stage the stage that uses it
   * @param written the reference as written, before expansion
   * @param reference the reference after ARG expansion
   * @param use how it is used: {@code FROM}, {@code COPY --from} or {@code RUN --mount from}
   */
  public record ImageUse(
      int stage, LineRange lines, String written, String reference, String use) {}

  /**
   * One build step, as buildah announces it ({@code [stage/stages] STEP number/of: instruction}).
   *
   * @param stage the stage's index, from 0
   * @param number the step's number within its stage, from 1
   * @param of the stage's number of steps
   * @param instruction the instruction as written
   */
  public record Step(int stage, int number, int of, LineRange lines, String instruction) {}

  /** Analyses with no build arguments, for the last stage, on {@code linux/amd64}. */
  public static Analysis of(Dockerfile dockerfile) {
    return of(dockerfile, Map.of(), null, null);
  }

  /**
   * Analyses the build of one target.
   *
   * @param buildArgs the values given for ARGs
   * @param target the stage to build, by name; {@code null} for the last stage
   * @param platform the platform built for ({@code os/arch[/variant]}), {@code null} for {@code
   *     linux/amd64}
   * @throws DockerfileException when the target does not exist, a base image expands to nothing, or
   *     a variable cannot be expanded
   */
  public static Analysis of(
      Dockerfile dockerfile, Map<String, String> buildArgs, String target, String platform) {
    Evaluation evaluation = Evaluation.run(dockerfile, buildArgs, platform);
    List<Stage> stages = dockerfile.stages();
    int targetIndex = targetIndex(dockerfile, target);
    Set<Integer> built = needed(evaluation, targetIndex);
    List<StageSummary> summaries = new ArrayList<>();
    List<ImageUse> images = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    for (Stage stage : stages) {
      Evaluation.StageResult result = evaluation.stages().get(stage.index());
      boolean isBuilt = built.contains(stage.index());
      summaries.add(
          new StageSummary(
              stage.index(),
              stage.name(),
              stage.lines(),
              result.base(),
              result.kind(),
              result.baseStage(),
              List.copyOf(new TreeSet<>(result.dependsOn())),
              isBuilt,
              stage.stepCount()));
      if (isBuilt) {
        images.addAll(result.images());
        List<Instruction> instructions = stage.instructions();
        for (int i = 0; i < instructions.size(); i++) {
          Instruction instruction = instructions.get(i);
          steps.add(
              new Step(
                  stage.index(),
                  i + 1,
                  instructions.size(),
                  instruction.lines(),
                  instruction.source()));
        }
      }
    }
    return new Analysis(
        targetIndex,
        List.copyOf(summaries),
        stages.stream().map(Stage::name).filter(name -> name != null).toList(),
        declaredArgs(dockerfile),
        List.copyOf(images),
        List.copyOf(steps));
  }

  /** How many steps the build takes, over all the stages it builds. */
  public int stepCount() {
    return steps.size();
  }

  /**
   * The {@code m} of buildah's {@code [stage/stages] STEP n/m} for each stage it builds. buildah
   * (1.28) turns each {@code --label} into a step of its own ({@code LABEL "k"="v"}) at the end of
   * the last stage when that stage is the target; with an earlier target it drops the later stages
   * and sets the labels without steps.
   *
   * @param labels how many labels the build passes to buildah
   * @return steps by stage index (from 0), in build order
   */
  public SortedMap<Integer, Integer> buildahSteps(int labels) {
    SortedMap<Integer, Integer> counts = new TreeMap<>();
    boolean targetIsLast = target == stages.size() - 1;
    for (StageSummary stage : stages) {
      if (stage.built()) {
        int added = targetIsLast && stage.index() == target ? labels : 0;
        counts.put(stage.index(), stage.stepCount() + added);
      }
    }
    return counts;
  }

  /**
   * The step buildah announces as {@code [stage/stages] STEP number/of}.
   *
   * @param stage the stage's index, from 0 (buildah's number minus one)
   * @param number the step's number in the stage, from 1
   * @throws IndexOutOfBoundsException when the Dockerfile has no such step
   */
  public Step step(int stage, int number) {
    return steps.stream()
        .filter(step -> step.stage() == stage && step.number() == number)
        .findFirst()
        .orElseThrow(
            () -> new IndexOutOfBoundsException("no step " + number + " in stage " + stage));
  }

  private static int targetIndex(Dockerfile dockerfile, String target) {
    List<Stage> stages = dockerfile.stages();
    if (target == null || target.isBlank()) {
      return stages.size() - 1;
    }
    String key = target.toLowerCase(Locale.ROOT);
    return stages.stream()
        .filter(stage -> key.equals(stage.key()))
        .findFirst()
        .map(Stage::index)
        .orElseThrow(
            () ->
                new TargetNotFoundException(
                    target, stages.stream().map(Stage::name).filter(n -> n != null).toList()));
  }

  private static Set<Integer> needed(Evaluation evaluation, int target) {
    Set<Integer> needed = new TreeSet<>();
    Deque<Integer> pending = new ArrayDeque<>(List.of(target));
    while (!pending.isEmpty()) {
      int stage = pending.pop();
      if (needed.add(stage)) {
        pending.addAll(evaluation.stages().get(stage).dependsOn());
      }
    }
    return needed;
  }

  private static List<DeclaredArg> declaredArgs(Dockerfile dockerfile) {
    List<DeclaredArg> args = new ArrayList<>();
    for (Instruction.Arg arg : dockerfile.globalArgs()) {
      arg.arguments()
          .forEach(kv -> args.add(new DeclaredArg(kv.key(), kv.value(), null, arg.lines())));
    }
    for (Stage stage : dockerfile.stages()) {
      for (Instruction instruction : stage.instructions()) {
        if (instruction instanceof Instruction.Arg arg) {
          arg.arguments()
              .forEach(
                  kv ->
                      args.add(new DeclaredArg(kv.key(), kv.value(), stage.index(), arg.lines())));
        }
      }
    }
    return List.copyOf(args);
  }

  /** A target that names no stage. */
  public static final class TargetNotFoundException extends RuntimeException {
    public TargetNotFoundException(String target, List<String> names) {
      super(
          "target stage '"
              + target
              + "' could not be found"
              + (names.isEmpty() ? "; no stage has a name" : "; the stages are " + names));
    }
  }
}
