package dev.kiln.worker.domain;

import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.dockerfile.Analysis;
import dev.kiln.dockerfile.BaseImagePolicy;
import dev.kiln.dockerfile.Dockerfile;
import dev.kiln.dockerfile.DockerfileException;
import dev.kiln.dockerfile.DockerfileParser;
import dev.kiln.dockerfile.Instruction;
import dev.kiln.dockerfile.LineRange;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a build's Dockerfile before the engine runs: parses it, analyses the build of the spec's
 * target with its build arguments, and checks the images the built stages use against the worker's
 * base-image allowlist. The gateway checks the Dockerfiles it can read the same way when a build is
 * submitted; for a git source the worker is the first to read the Dockerfile.
 *
 * <p>A Dockerfile that does not parse fails here, naming its line, instead of in buildah: without a
 * parse its images cannot be checked, and the parser's error names the line, which buildah's does
 * not. Images are checked as the Dockerfile names them once ARGs are expanded, not as registry
 * mirrors rewrite them: the allowlist speaks of what users write.
 */
public final class DockerfileCheck {
  private final BaseImagePolicy policy;

  /**
   * @param allowedBaseImages glob patterns of the images builds may use; empty allows every image
   */
  public DockerfileCheck(List<String> allowedBaseImages) {
    this.policy = BaseImagePolicy.allowing(allowedBaseImages);
  }

  /** What reading a Dockerfile found. */
  public sealed interface Result {}

  /** The Dockerfile may be built; these are its steps. */
  public record Buildable(DockerfileSteps steps) implements Result {}

  /** The Dockerfile may not be built, for this reason. */
  public record Refused(BuildError error) implements Result {}

  /**
   * Reads one build's Dockerfile.
   *
   * @param text the Dockerfile
   * @param spec the build: its target, build arguments and labels
   * @param platform the platform the build is for
   */
  public Result check(String text, BuildSpec spec, Platform platform) {
    Dockerfile dockerfile;
    Analysis analysis;
    try {
      dockerfile = DockerfileParser.parse(text);
      analysis = Analysis.of(dockerfile, spec.buildArgs(), spec.target(), platform.toString());
    } catch (DockerfileException e) {
      return new Refused(
          new BuildError(
              ErrorCategory.DOCKERFILE_SYNTAX,
              e.getMessage(),
              "Fix the Dockerfile at " + e.lines().describe() + ".",
              null,
              null,
              e.lines().start(),
              null));
    } catch (Analysis.TargetNotFoundException e) {
      return new Refused(
          BuildError.of(
              ErrorCategory.DOCKERFILE_SYNTAX,
              e.getMessage(),
              "Set target to the name of a stage of the Dockerfile (FROM … AS name), or leave it"
                  + " out to build the last stage."));
    }
    List<BaseImagePolicy.Violation> denied = policy.check(analysis);
    if (!denied.isEmpty()) {
      return new Refused(refusal(dockerfile, denied));
    }
    return new Buildable(DockerfileSteps.of(dockerfile, analysis, spec.labels().size()));
  }

  private static BuildError refusal(Dockerfile dockerfile, List<BaseImagePolicy.Violation> denied) {
    LineRange first = denied.getFirst().lines();
    String instruction =
        dockerfile.stages().stream()
            .flatMap(stage -> stage.instructions().stream())
            .filter(candidate -> candidate.lines().equals(first))
            .map(Instruction::source)
            .findFirst()
            .orElse(null);
    String message =
        denied.stream().map(BaseImagePolicy.Violation::message).collect(Collectors.joining("; "))
            + " (kiln.worker.allowed-base-images)";
    return new BuildError(
        ErrorCategory.POLICY_DENIED,
        message,
        "Use an image the farm allows, or ask its operators to add a pattern for this one.",
        null,
        instruction,
        first.start(),
        null);
  }
}
