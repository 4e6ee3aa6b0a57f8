package dev.kiln.worker.domain;

import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.dockerfile.Instruction;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the end of a failed buildah run into an error a person can act on. buildah ends a failed
 * build with an {@code Error: …} line on standard error; its wording, what the failing step printed
 * and the exit code tell the kinds of failure apart, and the step that was running tells which
 * instruction caused it. The Dockerfile's analysis adds what buildah's output leaves out: the
 * instruction's line, the image a step pulls after ARG expansion, and whether a {@code COPY --from}
 * names a stage or an image. Each rule below was checked against buildah's real output (the golden
 * files of the tests).
 */
public final class BuildahFailureClassifier {
  private static final String ERROR_PREFIX = "Error: ";
  private static final Pattern RUN_EXIT =
      Pattern.compile("while running runtime: exit status (\\d+)");

  /** What buildah prints when a RUN's first process itself is killed by a signal. */
  private static final String KILLED = "container exited on killed";

  private static final Pattern SYNTAX =
      Pattern.compile(
          "unknown instruction|no from statement|requires (?:exactly|at least|either|one|two)\\b"
              + "|parse error|unknown flag|syntax error|cannot be (?:empty|blank)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern COPY_MISSING =
      Pattern.compile(
          "no such file or directory|no stage or image found|checking on sources"
              + "|no items matching glob|file not found",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern COPY_SOURCE = Pattern.compile("stat: \"/?([^\"]+)\"");
  private static final Pattern AUTH =
      Pattern.compile(
          "unauthorized|authentication required|requested access to the resource is denied",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern NETWORK =
      Pattern.compile(
          "dial tcp|connection refused|no such host|i/o timeout|network is unreachable"
              + "|tls handshake timeout|temporary failure (?:resolving|in name resolution)"
              + "|could not resolve host|bad address|connection timed out",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern DISK_FULL =
      Pattern.compile("no space left on device", Pattern.CASE_INSENSITIVE);
  private static final Pattern EXEC_FORMAT =
      Pattern.compile("exec format error", Pattern.CASE_INSENSITIVE);
  private static final Pattern APT_MISSING_PACKAGE =
      Pattern.compile("Unable to locate package (\\S+)");
  private static final Pattern NOISE =
      Pattern.compile(
          "^(?:time=\".*level=(?:warning|info|debug).*"
              + "|Trying to pull .*|Getting image source signatures|Copying (?:blob|config) .*"
              + "|Writing manifest to image destination|Storing signatures"
              + "|(?:\\[\\d+/\\d+\\] )?STEP \\d+/\\d+: .*|--> .*)$");
  private static final int MAX_MESSAGE = 1000;
  private static final int OOM_EXIT = 137;
  private static final int NOT_FOUND_EXIT = 127;

  private final String platform;

  /**
   * @param platform the worker's platform, such as {@code linux/amd64}, named in platform errors
   */
  public BuildahFailureClassifier(String platform) {
    this.platform = platform;
  }

  /**
   * Explains a failed build.
   *
   * @param exitCode buildah's exit code
   * @param failingStep the step that was running when buildah stopped, if any
   * @param dockerfile the steps of the build's Dockerfile
   * @param recent the last lines of the build's log, oldest first
   * @param memoryMb the build's memory limit, or {@code null} without one
   */
  public BuildError explainBuild(
      int exitCode,
      Optional<StepStarted> failingStep,
      DockerfileSteps dockerfile,
      List<LogLine> recent,
      Integer memoryMb) {
    String detail = engineError(recent).orElseGet(() -> lastMeaningful(recent, null, null));
    if (detail == null) {
      detail = "buildah exited with code " + exitCode;
    }
    Integer step = failingStep.map(StepStarted::step).orElse(null);
    String instruction = failingStep.map(StepStarted::instruction).orElse(null);
    Optional<DockerfileSteps.KnownStep> known =
        failingStep.flatMap(
            running ->
                dockerfile.step(
                    running.stage(),
                    running.stages(),
                    running.index(),
                    running.total(),
                    running.instruction()));
    Integer line =
        known
            .map(DockerfileSteps.KnownStep::line)
            .or(() -> failingStep.map(StepStarted::line))
            .orElse(null);
    List<String> pulled = known.map(DockerfileSteps.KnownStep::images).orElse(List.of());
    String keyword = keyword(instruction);
    String stepOutput = stepOutput(recent, step);
    Explanation explained;
    Matcher runExit = RUN_EXIT.matcher(detail);
    int reportedExit = exitCode;
    if (keyword.equals("RUN") && runExit.find()) {
      int commandExit = Integer.parseInt(runExit.group(1));
      // A killed first process reads as exit 1; a shell would call it 137 (128 + SIGKILL).
      if (stepOutput.contains(KILLED)) {
        commandExit = OOM_EXIT;
        reportedExit = OOM_EXIT;
      }
      String printed = lastMeaningful(recent, step, LogStream.STDERR);
      explained = explainRun(commandExit, printed == null ? detail : printed, stepOutput, memoryMb);
    } else if (DISK_FULL.matcher(detail + "\n" + stepOutput).find()) {
      explained =
          new Explanation(
              ErrorCategory.DISK_FULL,
              "the worker ran out of disk space: " + detail,
              "Free space on the worker, lower kiln.worker.storage-max-size, or make the"
                  + " context and layers smaller.");
    } else if (SYNTAX.matcher(detail).find()) {
      explained =
          new Explanation(
              ErrorCategory.DOCKERFILE_SYNTAX,
              detail,
              "Fix the Dockerfile: check the instruction's name and arguments.");
    } else if (isCopy(keyword, detail)
        && COPY_MISSING.matcher(detail).find()
        && (pulled.isEmpty() || COPY_SOURCE.matcher(detail).find())) {
      explained = explainCopy(detail, copiedFrom(known, dockerfile));
    } else if (keyword.equals("FROM")
        || detail.startsWith("creating build container")
        || !pulled.isEmpty()) {
      String image = pulled.isEmpty() ? null : pulled.getFirst();
      boolean insteadOfStage = image != null && !keyword.equals("FROM");
      explained = explainBase(detail, stepOutput, instruction, image, insteadOfStage);
    } else {
      explained =
          new Explanation(
              ErrorCategory.UNKNOWN, detail, "Read the build's log for the engine's error.");
    }
    return new BuildError(
        explained.category(),
        shorten(explained.message()),
        explained.suggestion(),
        step,
        instruction,
        line,
        reportedExit);
  }

  private record Explanation(ErrorCategory category, String message, String suggestion) {}

  private Explanation explainRun(
      int commandExit, String printed, String stepOutput, Integer memoryMb) {
    if (commandExit == OOM_EXIT) {
      String limit = memoryMb == null ? "" : " of " + memoryMb + " MiB";
      return new Explanation(
          ErrorCategory.OOM,
          "the RUN step was killed (exit 137): it went past its memory limit" + limit,
          memoryMb == null
              ? "Give the build a memory limit it fits in (limits.memoryMb), or make the step"
                  + " use less memory."
              : "Raise limits.memoryMb above " + memoryMb + " or make the step use less memory.");
    }
    if (EXEC_FORMAT.matcher(stepOutput).find()) {
      return new Explanation(
          ErrorCategory.PLATFORM_UNSUPPORTED,
          printed,
          "A program in the image is built for another platform than this worker's ("
              + platform
              + "): use a base image for "
              + platform
              + ", or set options.platform and run it on a worker of that platform.");
    }
    if (DISK_FULL.matcher(stepOutput).find()) {
      return new Explanation(
          ErrorCategory.DISK_FULL,
          printed,
          "The step filled the worker's disk: free space on the worker or write less.");
    }
    if (NETWORK.matcher(stepOutput).find()) {
      return new Explanation(
          ErrorCategory.NETWORK,
          printed,
          "The step could not reach the network: check the worker's network and DNS, and that"
              + " the build does not ask for network none.");
    }
    Matcher apt = APT_MISSING_PACKAGE.matcher(stepOutput);
    if (apt.find()) {
      return new Explanation(
          ErrorCategory.RUN_FAILED,
          printed,
          "apt-get does not know '"
              + apt.group(1)
              + "': base images come without package lists, so run apt-get update in the same RUN"
              + " (apt-get update && apt-get install …), and check the package's name.");
    }
    if (commandExit == NOT_FOUND_EXIT) {
      return new Explanation(
          ErrorCategory.RUN_FAILED,
          printed,
          "A command was not found in the image (exit 127): install it in an earlier step, use a"
              + " base image that has it, or check its name and PATH.");
    }
    return new Explanation(
        ErrorCategory.RUN_FAILED,
        printed,
        "Read the command's output just above the error; it exited with code " + commandExit + ".");
  }

  /**
   * What a failing {@code COPY --from} copies from, when the Dockerfile's analysis knows: a stage
   * with its lines, or an image.
   */
  private static Optional<String> copiedFrom(
      Optional<DockerfileSteps.KnownStep> known, DockerfileSteps dockerfile) {
    if (known.isEmpty()
        || !(known.get().instruction() instanceof Instruction.Copy copy)
        || copy.from() == null) {
      return Optional.empty();
    }
    if (!known.get().images().isEmpty()) {
      return Optional.of("the image '" + known.get().images().getFirst() + "'");
    }
    return dockerfile
        .stageLines(copy.from())
        .map(lines -> "stage '" + copy.from() + "' (" + lines.describe() + ")");
  }

  private static Explanation explainCopy(String detail, Optional<String> copiedFrom) {
    Matcher source = COPY_SOURCE.matcher(detail);
    String named = source.find() ? "'" + source.group(1) + "'" : "the source";
    if (copiedFrom.isPresent()) {
      return new Explanation(
          ErrorCategory.COPY_SOURCE_MISSING,
          detail,
          named
              + " is not in "
              + copiedFrom.get()
              + ": COPY --from reads its files, not the build context, so check the path "
              + named
              + " has there.");
    }
    return new Explanation(
        ErrorCategory.COPY_SOURCE_MISSING,
        detail,
        named
            + " is not in the build context: add it to the folder, upload or repository subdir"
            + " the build uses as its context, check that .dockerignore does not exclude it, and"
            + " that a stage named in --from exists.");
  }

  /**
   * Explains an image a step could not pull: the base image of a FROM, or the image of a {@code
   * COPY --from} or {@code RUN --mount from}, which buildah pulls when no stage has that name.
   *
   * @param image the image as the Dockerfile's analysis expands it, or {@code null} when unknown
   * @param insteadOfStage whether the image is pulled because no stage has its name
   */
  private static Explanation explainBase(
      String detail, String stepOutput, String instruction, String image, boolean insteadOfStage) {
    String named =
        image != null
            ? "'" + image + "'"
            : instruction == null ? "the base image" : instruction.strip();
    if (AUTH.matcher(detail).find()) {
      return new Explanation(
          ErrorCategory.REGISTRY_AUTH,
          detail,
          "The registry refused to hand out "
              + named
              + ": check the image's name (a wrong name reads as unauthorized on many registries)"
              + " and the worker's registry credentials for it.");
    }
    if (NETWORK.matcher(detail + "\n" + stepOutput).find()) {
      return new Explanation(
          ErrorCategory.NETWORK,
          detail,
          "The worker could not reach the registry of "
              + (image == null ? "the base image" : named)
              + ": check that it is up and reachable from the worker, or set a registry mirror.");
    }
    if (insteadOfStage) {
      return new Explanation(
          ErrorCategory.BASE_IMAGE_NOT_FOUND,
          detail,
          "No stage of the Dockerfile is named "
              + named
              + ", so it was pulled as an image and none was found: check the stage's name, or"
              + " the image's name and tag.");
    }
    return new Explanation(
        ErrorCategory.BASE_IMAGE_NOT_FOUND,
        detail,
        "Check the name and tag of "
            + (image == null ? "the FROM image" : named)
            + " (manifest unknown means the registry has no such tag), and that the worker can"
            + " reach its registry.");
  }

  /** Everything the failing step printed, to look for telling messages in. */
  private static String stepOutput(List<LogLine> recent, Integer step) {
    StringBuilder output = new StringBuilder();
    for (LogLine line : recent) {
      if (line.stream() != LogStream.SYSTEM && (step == null || step.equals(line.step()))) {
        output.append(line.text()).append('\n');
      }
    }
    return output.toString();
  }

  /**
   * Explains a failed push.
   *
   * @param exitCode the push command's exit code
   * @param destination where it pushed to
   * @param errorLines what the push command wrote on standard error, oldest first
   */
  public BuildError explainPush(int exitCode, String destination, List<String> errorLines) {
    String detail = null;
    for (String line : errorLines.reversed()) {
      if (line.startsWith(ERROR_PREFIX)) {
        detail = line.substring(ERROR_PREFIX.length());
        break;
      }
      if (detail == null && isMeaningful(line)) {
        detail = line;
      }
    }
    if (detail == null) {
      detail = "push to " + destination + " exited with code " + exitCode;
    }
    boolean auth = AUTH.matcher(detail).find();
    String suggestion;
    if (auth) {
      suggestion =
          "The registry refused the worker's credentials for "
              + destination
              + ": give the worker credentials that may push there.";
    } else if (NETWORK.matcher(detail).find()) {
      suggestion =
          "The worker could not reach the registry of "
              + destination
              + ": check that it is up and reachable from the worker, then retry the build.";
    } else {
      suggestion = "Check that the registry is reachable and accepts pushes to this repository.";
    }
    return new BuildError(
        auth ? ErrorCategory.REGISTRY_AUTH : ErrorCategory.PUSH_FAILED,
        shorten(detail),
        suggestion,
        null,
        null,
        null,
        exitCode);
  }

  private static Optional<String> engineError(List<LogLine> recent) {
    for (LogLine line : recent.reversed()) {
      if (line.stream() == LogStream.STDERR && line.text().startsWith(ERROR_PREFIX)) {
        return Optional.of(withoutGoDump(line.text().substring(ERROR_PREFIX.length())));
      }
    }
    return Optional.empty();
  }

  /** The last line worth showing, optionally only of one step and one stream. */
  private static String lastMeaningful(List<LogLine> recent, Integer step, LogStream stream) {
    for (LogLine line : recent.reversed()) {
      boolean inStep = step == null || step.equals(line.step());
      boolean inStream =
          stream == null ? line.stream() != LogStream.SYSTEM : line.stream() == stream;
      if (inStep
          && inStream
          && isMeaningful(line.text())
          && !line.text().startsWith(ERROR_PREFIX)) {
        return line.text().strip();
      }
    }
    return null;
  }

  private static boolean isMeaningful(String text) {
    return !text.isBlank() && !NOISE.matcher(text).matches();
  }

  /** buildah appends a dump of its parser's step struct to some errors; people need none of it. */
  private static String withoutGoDump(String text) {
    int dump = text.indexOf(" &imagebuilder.");
    return dump < 0 ? text : text.substring(0, dump);
  }

  private static String keyword(String instruction) {
    if (instruction == null || instruction.isBlank()) {
      return "";
    }
    return instruction.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
  }

  private static boolean isCopy(String keyword, String detail) {
    return keyword.equals("COPY")
        || keyword.equals("ADD")
        || detail.contains("COPY ")
        || detail.contains("ADD ");
  }

  private static String shorten(String text) {
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
