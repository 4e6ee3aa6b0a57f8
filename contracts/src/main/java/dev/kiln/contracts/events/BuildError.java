package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Why a build did not succeed, in terms a person can act on.
 *
 * @param category the kind of failure
 * @param message what happened
 * @param suggestion one thing to try
 * @param step the global number of the failing step, when a step failed
 * @param instruction the failing instruction, when a step failed
 * @param line the failing instruction's Dockerfile line, when known
 * @param exitCode the exit code of the failing command, when there was one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildError(
    ErrorCategory category,
    String message,
    String suggestion,
    Integer step,
    String instruction,
    Integer line,
    Integer exitCode) {
  public BuildError {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(message, "message");
  }

  /** An error with no step, line or exit code. */
  public static BuildError of(ErrorCategory category, String message, String suggestion) {
    return new BuildError(category, message, suggestion, null, null, null, null);
  }
}
