package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Walks a Dockerfile with the values of its build arguments the way the builder does: ARGs before
 * the first FROM are seen only by FROM lines, each stage starts with only the ARGs it declares
 * again (and the ENV of a stage it is based on), and builder-expanded values ({@code COPY}, {@code
 * ENV}, {@code WORKDIR}, …) are expanded in the scope of their line. It records what every stage is
 * based on and needs, and every variable a line used without any ARG or ENV declaring it.
 */
final class Evaluation {
  /** ARGs every build has without declaring them. */
  static final Set<String> PREDEFINED =
      Set.of(
          "HTTP_PROXY",
          "http_proxy",
          "HTTPS_PROXY",
          "https_proxy",
          "FTP_PROXY",
          "ftp_proxy",
          "NO_PROXY",
          "no_proxy",
          "ALL_PROXY",
          "all_proxy");

  /**
   * What a stage's FROM resolved to.
   *
   * @param kind whether the base is an image, an earlier stage, or nothing
   * @param base the base after expansion: an image reference, a stage name, or {@code scratch}
   * @param baseStage the index of the stage it is based on, or {@code null}
   * @param dependsOn the earlier stages it needs: its base, and those it copies or mounts from
   * @param images the images it uses besides stages: its base and {@code COPY --from} images
   * @param env its ENV once its last instruction ran, which stages based on it start with
   */
  record StageResult(
      Analysis.BaseKind kind,
      String base,
      Integer baseStage,
      Set<Integer> dependsOn,
      List<Analysis.ImageUse> images,
      Map<String, String> env) {}

  /**
   * A variable a line used that no ARG or ENV declared before it.
   *
   * @param stage the stage of the line, or {@code null} for a FROM seen with the global ARGs
   */
  record UndefinedVariable(String name, LineRange lines, Integer stage, String keyword) {}

  private final Dockerfile dockerfile;
  private final Map<String, String> buildArgs;
  private final char escape;
  private final Map<String, String> globals = new LinkedHashMap<>();
  private final List<StageResult> stages = new ArrayList<>();
  private final List<UndefinedVariable> undefined = new ArrayList<>();
  private final Map<String, Integer> stageNames = new HashMap<>();

  private Evaluation(Dockerfile dockerfile, Map<String, String> buildArgs, String platform) {
    this.dockerfile = dockerfile;
    this.buildArgs = buildArgs;
    this.escape = dockerfile.directives().escape();
    globals.putAll(BuildPlatform.args(platform));
  }

  static Evaluation run(Dockerfile dockerfile, Map<String, String> buildArgs, String platform) {
    Evaluation evaluation = new Evaluation(dockerfile, buildArgs, platform);
    evaluation.walk();
    return evaluation;
  }

  List<StageResult> stages() {
    return stages;
  }

  List<UndefinedVariable> undefined() {
    return undefined;
  }

  private void walk() {
    for (Instruction.Arg arg : dockerfile.globalArgs()) {
      declare(arg, globals, null, null);
    }
    for (Stage stage : dockerfile.stages()) {
      stages.add(evaluate(stage));
      if (stage.key() != null) {
        stageNames.putIfAbsent(stage.key(), stage.index());
      }
    }
  }

  private StageResult evaluate(Stage stage) {
    Instruction.From from = stage.from();
    String base = expand(from.image(), globals, from, null).strip();
    if (base.isEmpty()) {
      throw new DockerfileException(
          from.lines(),
          "the base of FROM " + from.image() + " expands to nothing; give the ARG a value");
    }
    if (from.platform() != null) {
      expand(from.platform(), globals, from, null);
    }
    Integer baseStage = stageNames.get(base.toLowerCase(Locale.ROOT));
    Set<Integer> dependsOn = new LinkedHashSet<>();
    List<Analysis.ImageUse> images = new ArrayList<>();
    Analysis.BaseKind kind;
    Map<String, String> env = new LinkedHashMap<>();
    if (baseStage != null) {
      kind = Analysis.BaseKind.STAGE;
      dependsOn.add(baseStage);
      env.putAll(stages.get(baseStage).env());
    } else if (base.equalsIgnoreCase("scratch")) {
      kind = Analysis.BaseKind.SCRATCH;
    } else {
      kind = Analysis.BaseKind.IMAGE;
      images.add(new Analysis.ImageUse(stage.index(), from.lines(), from.image(), base, "FROM"));
    }
    // Declared ARGs, ENV of the base stage and of this one: what the builder expands with.
    Map<String, String> scope = new LinkedHashMap<>(env);
    PREDEFINED.forEach(name -> scope.putIfAbsent(name, buildArgs.getOrDefault(name, "")));
    for (Instruction instruction : stage.instructions().subList(1, stage.instructions().size())) {
      visit(instruction, stage, scope, env, dependsOn, images);
    }
    return new StageResult(kind, base, baseStage, dependsOn, images, Map.copyOf(env));
  }

  private void visit(
      Instruction instruction,
      Stage stage,
      Map<String, String> scope,
      Map<String, String> env,
      Set<Integer> dependsOn,
      List<Analysis.ImageUse> images) {
    Integer index = stage.index();
    switch (instruction) {
      case Instruction.Arg arg -> declare(arg, scope, index, globals);
      case Instruction.Env set -> {
        for (KeyValue variable : set.variables()) {
          String value = expand(variable.value(), scope, set, index);
          scope.put(variable.key(), value);
          env.put(variable.key(), value);
        }
      }
      case Instruction.Label label ->
          label
              .labels()
              .forEach(
                  pair -> {
                    expand(pair.key(), scope, label, index);
                    expand(pair.value(), scope, label, index);
                  });
      case Instruction.Copy copy -> {
        expandAll(copy.sources(), scope, copy, index);
        expand(copy.destination(), scope, copy, index);
        expandIfSet(copy.chown(), scope, copy, index);
        expandIfSet(copy.chmod(), scope, copy, index);
        if (copy.from() != null) {
          String from = expand(copy.from(), scope, copy, index);
          source(from, stage, copy, "COPY --from", dependsOn, images);
        }
      }
      case Instruction.Add add -> {
        expandAll(add.sources(), scope, add, index);
        expand(add.destination(), scope, add, index);
        expandIfSet(add.chown(), scope, add, index);
        expandIfSet(add.chmod(), scope, add, index);
      }
      case Instruction.Run run -> {
        for (Mount mount : run.mounts()) {
          if (mount.from() != null) {
            String from = expand(mount.from(), scope, run, index);
            source(from, stage, run, "RUN --mount from", dependsOn, images);
          }
        }
      }
      case Instruction.Expose expose -> expandAll(expose.ports(), scope, expose, index);
      case Instruction.Volume volume -> expandAll(volume.paths(), scope, volume, index);
      case Instruction.User user -> expand(user.user(), scope, user, index);
      case Instruction.Workdir workdir -> expand(workdir.path(), scope, workdir, index);
      case Instruction.StopSignal signal -> expand(signal.signal(), scope, signal, index);
      default -> {}
    }
  }

  /** A COPY or mount source: an earlier stage by index or name, or else an image. */
  private void source(
      String from,
      Stage stage,
      Instruction instruction,
      String kind,
      Set<Integer> dependsOn,
      List<Analysis.ImageUse> images) {
    if (from.matches("\\d+")) {
      int index = Integer.parseInt(from);
      if (index >= stage.index()) {
        throw new DockerfileException(
            instruction.lines(),
            kind
                + "="
                + from
                + " refers to this or a later stage; "
                + (stage.index() == 0
                    ? "the first stage has no earlier stage to copy from"
                    : "only earlier stages (0 to " + (stage.index() - 1) + ") can be used"));
      }
      dependsOn.add(index);
      return;
    }
    Integer named = stageNames.get(from.toLowerCase(Locale.ROOT));
    if (named != null) {
      dependsOn.add(named);
    } else if (!from.isEmpty()) {
      images.add(new Analysis.ImageUse(stage.index(), instruction.lines(), from, from, kind));
    }
  }

  private void declare(
      Instruction.Arg arg, Map<String, String> scope, Integer stage, Map<String, String> outer) {
    for (KeyValue declared : arg.arguments()) {
      String name = declared.key();
      String value;
      if (buildArgs.containsKey(name)) {
        value = buildArgs.get(name);
      } else if (declared.value() != null) {
        value = expand(declared.value(), scope, arg, stage);
      } else if (outer != null && outer.containsKey(name)) {
        value = outer.get(name);
      } else {
        value = "";
      }
      if (declared.value() != null && buildArgs.containsKey(name)) {
        expand(declared.value(), scope, arg, stage);
      }
      scope.put(name, value);
    }
  }

  private void expandAll(
      List<String> words, Map<String, String> scope, Instruction at, Integer stage) {
    for (String word : words) {
      if (!word.startsWith("<<")) {
        expand(word, scope, at, stage);
      }
    }
  }

  private void expandIfSet(String word, Map<String, String> scope, Instruction at, Integer stage) {
    if (word != null) {
      expand(word, scope, at, stage);
    }
  }

  /**
   * Expands one word in a scope, recording the variables no declaration gave.
   *
   * @param stage the stage of the line, {@code null} for FROM lines and global ARGs
   */
  private String expand(String word, Map<String, String> scope, Instruction at, Integer stage) {
    try {
      ShellLexer.Result result = ShellLexer.expanding(escape).word(word, scope::get);
      for (String name : result.unset()) {
        undefined.add(new UndefinedVariable(name, at.lines(), stage, at.keyword()));
      }
      return result.word();
    } catch (ShellLexer.LexException e) {
      throw new DockerfileException(at.lines(), e.getMessage() + " in '" + word + "'");
    }
  }
}
