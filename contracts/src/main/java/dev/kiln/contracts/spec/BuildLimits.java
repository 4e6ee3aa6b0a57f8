package dev.kiln.contracts.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Resources and time a build may use; {@code null} means no limit of that kind.
 *
 * @param cpus CPUs for RUN steps, such as {@code 1.5}
 * @param memoryMb memory for RUN steps, in MiB
 * @param timeoutSeconds the longest the build may run before it is stopped as timed out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildLimits(Double cpus, Integer memoryMb, Integer timeoutSeconds) {
  public static final BuildLimits NONE = new BuildLimits(null, null, null);

  public BuildLimits {
    if (cpus != null && !(cpus > 0 && cpus <= 1024)) {
      throw new IllegalArgumentException("cpus must be more than 0 and at most 1024");
    }
    if (memoryMb != null && memoryMb < 6) {
      throw new IllegalArgumentException("memoryMb must be at least 6");
    }
    if (timeoutSeconds != null && timeoutSeconds <= 0) {
      throw new IllegalArgumentException("timeoutSeconds must be positive");
    }
  }
}
