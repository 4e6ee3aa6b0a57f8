package dev.kiln.gateway.domain.catalog;

import dev.kiln.contracts.ImageRef;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A custom image's {@code build.yaml}: what its builds get unless the build request says otherwise.
 *
 * @param tags the tags when the request gives none
 * @param push whether to push, when the tags come from here
 * @param target the stage to build when the request names none
 * @param buildArgs ARG values; the request's win
 * @param labels image labels; the request's win
 * @param options engine options when the request gives none
 */
public record BuildDefaults(
    List<ImageRef> tags,
    Boolean push,
    String target,
    Map<String, String> buildArgs,
    Map<String, String> labels,
    BuildOptions options) {
  public static final BuildDefaults NONE = new BuildDefaults(null, null, null, null, null, null);

  public BuildDefaults {
    tags = tags == null ? List.of() : List.copyOf(tags);
    buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** The spec a build of the image runs with: the request's values, these where it has none. */
  public BuildSpec applyTo(BuildSpec requested, BuildSource resolved) {
    boolean ownTags = !requested.tags().isEmpty();
    Map<String, String> args = new LinkedHashMap<>(buildArgs);
    args.putAll(requested.buildArgs());
    Map<String, String> allLabels = new LinkedHashMap<>(labels);
    allLabels.putAll(requested.labels());
    boolean defaultOptions = requested.options().equals(BuildOptions.DEFAULTS);
    return new BuildSpec(
        resolved,
        null,
        requested.target() != null ? requested.target() : target,
        args,
        ownTags ? requested.tags() : tags,
        requested.push() || (!ownTags && Boolean.TRUE.equals(push)),
        defaultOptions && options != null ? options : requested.options(),
        requested.secrets(),
        requested.limits(),
        requested.priority(),
        allLabels);
  }
}
