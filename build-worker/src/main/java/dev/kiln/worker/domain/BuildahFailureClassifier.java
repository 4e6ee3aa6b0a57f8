package dev.kiln.worker.domain;

import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepStarted;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the end of a failed buildah run into an error a person can act on. buildah ends a failed
 * build with one {@code Error: …} line on standard error; its wording tells the kinds of failure
 * apart, and the step that was running tells which instruction caused it.
 */
public final class BuildahFailureClassifier {
  private static final String ERROR_PREFIX = "Error: ";
  private static final Pattern RUN_EXIT =
      Pattern.compile("while running runtime: exit status (\\d+)");
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
  private static final Pattern AUTH =
      Pattern.compile(
          "unauthorized|authentication required|requested access to the resource is denied",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern DISK_FULL =
      Pattern.compile("no space left on device", Pattern.CASE_INSENSITIVE);
  private static final Pattern NOISE =
      Pattern.compile(
          "^(?:time=\".*level=(?:warning|info|debug).*"
              + "|Trying to pull .*|Getting image source signatures|Copying (?:blob|config) .*"
              + "|Writing manifest to image destination|Storing signatures"
              + "|(?:\\[\\d+/\\d+\\] )?STEP \\d+/\\d+: .*|--> .*)$");
  private static final int MAX_MESSAGE = 1000;

  /**
   * Explains a failed build.
   *
   * @param exitCode buildah's exit code
   * @param failingStep the step that was running when buildah stopped, if any
   * @param recent the last lines of the build's log, oldest first
   */
  public BuildError explainBuild(
      int exitCode, Optional<StepStarted> failingStep, List<LogLine> recent) {
    String detail = engineError(recent).orElseGet(() -> lastMeaningful(recent, null, null));
    if (detail == null) {
      detail = "buildah exited with code " + exitCode;
    }
    Integer step = failingStep.map(StepStarted::step).orElse(null);
    String instruction = failingStep.map(StepStarted::instruction).orElse(null);
    String keyword = keyword(instruction);
    ErrorCategory category;
    String message = detail;
    Matcher runExit = RUN_EXIT.matcher(detail);
    if (keyword.equals("RUN") && runExit.find()) {
      category = ErrorCategory.RUN_FAILED;
      String printed = lastMeaningful(recent, step, LogStream.STDERR);
      if (printed != null) {
        message = printed;
      }
    } else if (SYNTAX.matcher(detail).find()) {
      category = ErrorCategory.DOCKERFILE_SYNTAX;
    } else if (isCopy(keyword, detail) && COPY_MISSING.matcher(detail).find()) {
      category = ErrorCategory.COPY_SOURCE_MISSING;
    } else if (keyword.equals("FROM") || detail.startsWith("creating build container")) {
      category =
          AUTH.matcher(detail).find()
              ? ErrorCategory.REGISTRY_AUTH
              : ErrorCategory.BASE_IMAGE_NOT_FOUND;
    } else if (DISK_FULL.matcher(detail).find()) {
      category = ErrorCategory.DISK_FULL;
    } else {
      category = ErrorCategory.UNKNOWN;
    }
    return new BuildError(
        category,
        shorten(message),
        suggestion(category, exitCode),
        step,
        instruction,
        null,
        exitCode);
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
    ErrorCategory category =
        AUTH.matcher(detail).find() ? ErrorCategory.REGISTRY_AUTH : ErrorCategory.PUSH_FAILED;
    return new BuildError(
        category, shorten(detail), suggestion(category, exitCode), null, null, null, exitCode);
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

  private static String suggestion(ErrorCategory category, int exitCode) {
    return switch (category) {
      case RUN_FAILED ->
          exitCode == 137
              ? "The command was killed (exit 137), often for lack of memory; raise limits.memoryMb."
              : "Read the command's output just above the error; it exited with code "
                  + exitCode
                  + ".";
      case DOCKERFILE_SYNTAX -> "Fix the Dockerfile: check the instruction's name and arguments.";
      case COPY_SOURCE_MISSING ->
          "Make sure the file is in the build context and not excluded by .dockerignore,"
              + " and that a stage named in --from exists.";
      case BASE_IMAGE_NOT_FOUND ->
          "Check the FROM image's name and tag, and that the worker can reach its registry.";
      case REGISTRY_AUTH -> "Log the worker in to the registry or use a registry it may access.";
      case PUSH_FAILED ->
          "Check that the registry is reachable and accepts pushes to this repository.";
      case DISK_FULL -> "Free space on the worker or clean its build cache.";
      default -> "Read the build's log for the engine's error.";
    };
  }
}
