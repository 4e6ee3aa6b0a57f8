package dev.kiln.contracts.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.contracts.ImageRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a build needs, as submitted to {@code POST /api/v1/builds} and carried unchanged to
 * the worker that runs it.
 *
 * @param source where the Dockerfile and its context come from
 * @param dockerfile path of the Dockerfile inside the context; {@code Dockerfile} when absent
 * @param target the stage to build, or {@code null} for the last one
 * @param buildArgs values for the Dockerfile's {@code ARG}s
 * @param tags references the image is tagged with, and pushed to when {@code push} is set
 * @param push whether to push the image to the registries named in {@code tags}
 * @param options engine options
 * @param secrets values for {@code RUN --mount=type=secret,id=…}; never stored, never logged
 * @param limits resources and time the build may use
 * @param priority higher runs sooner among one owner's builds
 * @param labels labels set on the image
 * @param workerLabels labels a worker must carry, each with the same value, to run the build (like
 *     Buildkite agent tags); empty for any worker
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildSpec(
    BuildSource source,
    String dockerfile,
    String target,
    Map<String, String> buildArgs,
    List<ImageRef> tags,
    boolean push,
    BuildOptions options,
    Map<String, String> secrets,
    BuildLimits limits,
    int priority,
    Map<String, String> labels,
    Map<String, String> workerLabels) {
  public static final String DEFAULT_DOCKERFILE = "Dockerfile";
  public static final String REDACTED = "*****";

  public BuildSpec {
    if (source == null) {
      throw new IllegalArgumentException(
          "source is missing: give one of git, context, dockerfile or catalog");
    }
    dockerfile = dockerfile == null || dockerfile.isBlank() ? DEFAULT_DOCKERFILE : dockerfile;
    ContextPaths.requireRelative("dockerfile", dockerfile);
    if (target != null && target.isBlank()) {
      target = null;
    }
    buildArgs = copy(buildArgs);
    tags = tags == null ? List.of() : List.copyOf(tags);
    if (push && tags.isEmpty()) {
      throw new IllegalArgumentException("push needs at least one tag naming the registry");
    }
    options = options == null ? BuildOptions.DEFAULTS : options;
    secrets = copy(secrets);
    limits = limits == null ? BuildLimits.NONE : limits;
    labels = copy(labels);
    workerLabels = copy(workerLabels);
  }

  /** A spec that any worker may run (no {@code workerLabels}). */
  public BuildSpec(
      BuildSource source,
      String dockerfile,
      String target,
      Map<String, String> buildArgs,
      List<ImageRef> tags,
      boolean push,
      BuildOptions options,
      Map<String, String> secrets,
      BuildLimits limits,
      int priority,
      Map<String, String> labels) {
    this(
        source,
        dockerfile,
        target,
        buildArgs,
        tags,
        push,
        options,
        secrets,
        limits,
        priority,
        labels,
        null);
  }

  /** The same spec with every secret value replaced, for storing and showing. */
  public BuildSpec withoutSecretValues() {
    Map<String, String> redacted = new LinkedHashMap<>();
    secrets.keySet().forEach(id -> redacted.put(id, REDACTED));
    return new BuildSpec(
        source,
        dockerfile,
        target,
        buildArgs,
        tags,
        push,
        options,
        redacted,
        limits,
        priority,
        labels,
        workerLabels);
  }

  private static Map<String, String> copy(Map<String, String> map) {
    if (map == null) {
      return Map.of();
    }
    map.forEach(
        (key, value) -> {
          if (key == null || key.isBlank() || value == null) {
            throw new IllegalArgumentException("keys and values must not be empty or null");
          }
        });
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
