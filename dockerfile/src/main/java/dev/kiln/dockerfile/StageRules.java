package dev.kiln.dockerfile;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules about stages, their instructions and their variables. */
final class StageRules {
  /** Names BuildKit takes for secrets, unless a harmless word says otherwise. */
  private static final Pattern SECRET =
      Pattern.compile(
          "(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)");

  private static final Pattern NOT_SECRET =
      Pattern.compile("(?i)(?:_|^)(?:public|file|path)(?:_|$)");

  /** Variables every image's environment is expected to have, so using them is no mistake. */
  private static final Set<String> IMAGE_ENV =
      Set.of("PATH", "HOME", "HOSTNAME", "TERM", "LANG", "LC_ALL", "USER", "PWD", "SHELL");

  private static final Set<String> ARCHIVE_SUFFIXES =
      Set.of(".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst");

  private StageRules() {}

  static void check(Linter.LintContext context) {
    Dockerfile dockerfile = context.dockerfile();
    Map<String, Stage> named = new HashMap<>();
    for (Stage stage : dockerfile.stages()) {
      names(context, stage, named);
      repeated(context, stage);
      for (Instruction instruction : stage.instructions()) {
        instruction(context, instruction);
      }
    }
    dockerfile.globalArgs().forEach(arg -> instruction(context, arg));
    for (LineRange empty : dockerfile.emptyContinuations()) {
      context.report(
          Rule.NO_EMPTY_CONTINUATION,
          empty,
          "an empty line sits inside a line continuation; BuildKit will refuse this",
          "Remove the empty line, or end the instruction before it.");
    }
    undefined(context);
  }

  private static void names(Linter.LintContext context, Stage stage, Map<String, Stage> named) {
    Instruction.From from = stage.from();
    if (stage.name() == null) {
      return;
    }
    if (!stage.name().equals(stage.key())) {
      context.report(
          Rule.STAGE_NAME_CASING,
          from.lines(),
          "stage name '" + stage.name() + "' is not in lower case",
          "Write it as '" + stage.key() + "'.");
    }
    Stage earlier = named.putIfAbsent(stage.key(), stage);
    if (earlier != null) {
      context.report(
          Rule.DUPLICATE_STAGE_NAME,
          from.lines(),
          "stage name '"
              + stage.name()
              + "' is already the name of the stage at "
              + earlier.from().lines().describe(),
          "Give every stage its own name.");
    }
    String[] words = from.source().strip().split("\\s+");
    String keyword = words[0];
    String as = words[words.length - 2];
    boolean keywordUpper = keyword.equals(keyword.toUpperCase(Locale.ROOT));
    boolean asUpper = as.equals(as.toUpperCase(Locale.ROOT));
    if (keywordUpper != asUpper) {
      context.report(
          Rule.FROM_AS_CASING,
          from.lines(),
          "'" + as + "' and '" + keyword + "' are not written in the same case",
          "Write " + (keywordUpper ? "AS" : "as") + ".");
    }
  }

  /** Several CMD, ENTRYPOINT or HEALTHCHECK in a stage: only the last one counts. */
  private static void repeated(Linter.LintContext context, Stage stage) {
    Map<String, Instruction> last = new HashMap<>();
    for (Instruction instruction : stage.instructions()) {
      if (instruction instanceof Instruction.Cmd
          || instruction instanceof Instruction.Entrypoint
          || instruction instanceof Instruction.Healthcheck) {
        Instruction earlier = last.put(instruction.keyword(), instruction);
        if (earlier != null) {
          context.report(
              Rule.MULTIPLE_INSTRUCTIONS,
              earlier.lines(),
              "this "
                  + earlier.keyword()
                  + " has no effect: the one at "
                  + instruction.lines().describe()
                  + " replaces it",
              "Keep only the last " + earlier.keyword() + " of the stage.");
        }
      }
    }
  }

  private static void instruction(Linter.LintContext context, Instruction instruction) {
    switch (instruction) {
      case Instruction.Cmd cmd -> shellForm(context, cmd.lines(), "CMD", cmd.command());
      case Instruction.Entrypoint entrypoint ->
          shellForm(context, entrypoint.lines(), "ENTRYPOINT", entrypoint.command());
      case Instruction.Arg arg ->
          arg.arguments().forEach(kv -> secret(context, arg.lines(), "ARG", kv.key()));
      case Instruction.Env env -> {
        env.variables().forEach(kv -> secret(context, env.lines(), "ENV", kv.key()));
        legacy(context, env.lines(), "ENV", env.legacy());
      }
      case Instruction.Label label -> legacy(context, label.lines(), "LABEL", label.legacy());
      case Instruction.Add add -> add(context, add);
      case Instruction.Maintainer maintainer ->
          context.report(
              Rule.MAINTAINER_DEPRECATED,
              maintainer.lines(),
              "MAINTAINER is deprecated",
              "Use LABEL org.opencontainers.image.authors=\"" + maintainer.name() + "\".");
      default -> {}
    }
  }

  private static void shellForm(
      Linter.LintContext context, LineRange lines, String keyword, Command command) {
    if (command instanceof Command.ShellForm) {
      context.report(
          Rule.JSON_ARGS_RECOMMENDED,
          lines,
          keyword
              + " in shell form runs under /bin/sh -c, which does not pass signals on: the"
              + " container ignores SIGTERM and is killed after the stop timeout",
          "Use the exec form: " + keyword + " [\"program\", \"arg\"].");
    }
  }

  private static void secret(
      Linter.LintContext context, LineRange lines, String keyword, String name) {
    if (SECRET.matcher(name).find() && !NOT_SECRET.matcher(name).find()) {
      context.report(
          Rule.SECRETS_IN_ARG_OR_ENV,
          lines,
          keyword + " '" + name + "' looks like a secret; its value stays in the image's history",
          "Pass it as a build secret: RUN --mount=type=secret,id="
              + name.toLowerCase(Locale.ROOT)
              + " … and the build's secrets.");
    }
  }

  private static void legacy(
      Linter.LintContext context, LineRange lines, String keyword, boolean legacy) {
    if (legacy) {
      context.report(
          Rule.LEGACY_KEY_VALUE_FORMAT,
          lines,
          keyword + " name value (without '=') is the old form",
          "Write " + keyword + " name=value.");
    }
  }

  private static void add(Linter.LintContext context, Instruction.Add add) {
    List<String> sources = add.sources();
    boolean copyWouldDo =
        sources.stream()
            .noneMatch(
                source ->
                    source.startsWith("<<")
                        || source.contains("://")
                        || source.startsWith("git@")
                        || ARCHIVE_SUFFIXES.stream()
                            .anyMatch(source.toLowerCase(Locale.ROOT)::endsWith));
    if (copyWouldDo && add.checksum() == null && !add.keepGitDir()) {
      context.report(
          Rule.ADD_INSTEAD_OF_COPY,
          add.lines(),
          "ADD of local files does what COPY does, with surprises (it unpacks archives)",
          "Use COPY; keep ADD for URLs, git repositories and archives to unpack.");
    }
  }

  private static void undefined(Linter.LintContext context) {
    List<Evaluation.StageResult> stages = context.evaluation().stages();
    for (Evaluation.UndefinedVariable variable : context.evaluation().undefined()) {
      if (variable.stage() == null) {
        continue;
      }
      boolean fromImage = rootKind(stages, variable.stage()) == Analysis.BaseKind.IMAGE;
      if (fromImage && IMAGE_ENV.contains(variable.name())) {
        continue;
      }
      context.report(
          Rule.UNDEFINED_VAR,
          variable.lines(),
          variable.keyword()
              + " uses '"
              + variable.name()
              + "', which no ARG or ENV of this stage declares before it"
              + (fromImage ? " (unless the base image sets it)" : ""),
          "Declare it first (ARG "
              + variable.name()
              + " or ENV "
              + variable.name()
              + "=…), or fix its name.");
    }
  }

  private static Analysis.BaseKind rootKind(List<Evaluation.StageResult> stages, int stage) {
    Evaluation.StageResult result = stages.get(stage);
    while (result.baseStage() != null) {
      result = stages.get(result.baseStage());
    }
    return result.kind();
  }
}
