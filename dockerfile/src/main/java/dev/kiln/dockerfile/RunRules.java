package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rules about the commands RUN instructions give the shell. */
final class RunRules {
  private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
  private static final Set<String> POSIX_SHELLS = Set.of("sh", "bash", "ash", "dash", "zsh", "ksh");
  private static final Set<String> YES = Set.of("-y", "--yes", "--assume-yes", "-qq", "-q=2");

  private RunRules() {}

  static void check(Linter.LintContext context) {
    Set<Integer> shipped = shippedStages(context);
    Map<Integer, List<String>> finalShells = new HashMap<>();
    for (Stage stage : context.dockerfile().stages()) {
      Evaluation.StageResult result = context.evaluation().stages().get(stage.index());
      List<String> shell =
          result.baseStage() != null
              ? finalShells.getOrDefault(result.baseStage(), DEFAULT_SHELL)
              : DEFAULT_SHELL;
      for (Instruction instruction : stage.instructions()) {
        if (instruction instanceof Instruction.Shell set) {
          shell = set.shell();
        } else if (instruction instanceof Instruction.Run run) {
          checkRun(context, run, shell, shipped.contains(stage.index()));
        }
      }
      finalShells.put(stage.index(), shell);
    }
  }

  /** The last stage and the stages it is built on: what ends up in the image. */
  private static Set<Integer> shippedStages(Linter.LintContext context) {
    Set<Integer> shipped = new HashSet<>();
    Integer stage = context.dockerfile().stages().size() - 1;
    while (stage != null && shipped.add(stage)) {
      stage = context.evaluation().stages().get(stage).baseStage();
    }
    return shipped;
  }

  private static void checkRun(
      Linter.LintContext context, Instruction.Run run, List<String> shell, boolean shipped) {
    boolean viaShell = run.command() instanceof Command.ShellForm;
    String script = script(run);
    if (script == null) {
      return;
    }
    ShellScript read = ShellScript.read(script);
    LineRange lines = run.lines();
    boolean installs = false;
    boolean cleans = false;
    boolean cd = false;
    for (List<String> command : read.commands()) {
      List<String> words = withoutPrefix(command);
      if (words.isEmpty()) {
        continue;
      }
      String program = words.getFirst();
      if (program.equals("cd")) {
        cd = true;
      }
      if (program.equals("rm")
          && words.stream().anyMatch(w -> w.startsWith("/var/lib/apt/lists"))) {
        cleans = true;
      }
      if ((program.equals("apt-get") || program.equals("apt")) && words.contains("install")) {
        installs = true;
        checkInstall(context, lines, program, words);
      }
    }
    if (cd) {
      context.report(
          Rule.CD_INSTEAD_OF_WORKDIR,
          lines,
          "RUN changes folders with cd, which lasts only for this RUN",
          "Use WORKDIR <folder> to set the folder for the instructions that follow.");
    }
    if (installs && !cleans && shipped && !cachesAptLists(run)) {
      context.report(
          Rule.APT_LISTS_NOT_CLEANED,
          lines,
          "apt-get install leaves the package lists in /var/lib/apt/lists, in the image's layer",
          "End the same RUN with && rm -rf /var/lib/apt/lists/*.");
    }
    boolean posix = POSIX_SHELLS.contains(basename(shell.getFirst()));
    if (viaShell && posix && read.pipes() && !shell.contains("pipefail") && !read.setsPipefail()) {
      context.report(
          Rule.PIPE_WITHOUT_PIPEFAIL,
          lines,
          "RUN pipes one command into another; a failure before the last '|' does not fail the"
              + " build",
          "Start the RUN with set -o pipefail && (bash, ash), or set SHELL [\"/bin/bash\", \"-o\","
              + " \"pipefail\", \"-c\"] before it.");
    }
  }

  private static void checkInstall(
      Linter.LintContext context, LineRange lines, String program, List<String> words) {
    boolean yes =
        words.stream()
            .anyMatch(w -> YES.contains(w) || (w.matches("-[a-zA-Z]+") && w.contains("y")));
    if (!yes) {
      context.report(
          Rule.APT_GET_WITHOUT_YES,
          lines,
          program + " install without -y waits for an answer no one gives, and the build fails",
          "Add -y: " + program + " install -y <packages>.");
    }
    boolean noRecommends =
        words.contains("--no-install-recommends")
            || words.stream().anyMatch(w -> w.contains("Install-Recommends=false"));
    if (!noRecommends) {
      context.report(
          Rule.APT_GET_RECOMMENDS,
          lines,
          program + " install also installs recommended packages, which the image seldom needs",
          "Add --no-install-recommends.");
    }
  }

  private static boolean cachesAptLists(Instruction.Run run) {
    return run.mounts().stream()
        .anyMatch(
            mount ->
                mount.type().equals("cache")
                    && mount.target() != null
                    && mount.target().startsWith("/var/lib/apt"));
  }

  /** The script a RUN gives a shell, or {@code null} when it runs a program directly. */
  private static String script(Instruction.Run run) {
    StringBuilder script = new StringBuilder();
    switch (run.command()) {
      case Command.ShellForm shell -> script.append(shell.script());
      case Command.ExecForm exec -> {
        List<String> args = exec.arguments();
        int dashC = args.indexOf("-c");
        if (args.isEmpty()
            || !POSIX_SHELLS.contains(basename(args.getFirst()))
            || dashC < 0
            || dashC + 1 >= args.size()) {
          return null;
        }
        script.append(args.get(dashC + 1));
      }
    }
    for (Heredoc heredoc : run.heredocs()) {
      script.append('\n').append(heredoc.content());
    }
    return script.toString();
  }

  /** The words of a command without {@code sudo}, {@code env VAR=…} and assignments before it. */
  private static List<String> withoutPrefix(List<String> command) {
    List<String> words = new ArrayList<>(command);
    while (!words.isEmpty()
        && (words.getFirst().equals("sudo")
            || words.getFirst().equals("env")
            || words.getFirst().matches("[A-Za-z_][A-Za-z0-9_]*=.*"))) {
      words.removeFirst();
    }
    return words;
  }

  private static String basename(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
