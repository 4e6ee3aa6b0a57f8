package dev.kiln.gateway.app;

import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.dockerfile.Analysis;
import dev.kiln.dockerfile.BaseImagePolicy;
import dev.kiln.dockerfile.DockerfileException;
import dev.kiln.dockerfile.Finding;
import dev.kiln.dockerfile.Inspection;
import dev.kiln.dockerfile.LineRange;
import dev.kiln.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a Dockerfile before Kiln builds it: parse, analysis of the build asked for, lint, and the
 * base-image allowlist ({@code kiln.gateway.allowed-base-images}).
 */
@ApplicationScoped
public class DockerfileChecks {
  private final BaseImagePolicy policy;

  public DockerfileChecks(GatewayConfig config) {
    this.policy = BaseImagePolicy.allowing(config.allowedBaseImages().orElse(List.of()));
  }

  /**
   * What is wrong with a Dockerfile, without refusing anything: for the analyze endpoint.
   *
   * @param platform {@code os/arch[/variant]}, or {@code null}
   * @param skip lint rules not to run
   */
  public Report analyze(
      String text,
      Map<String, String> buildArgs,
      String target,
      String platform,
      Set<String> skip) {
    Inspection inspection;
    try {
      inspection = Inspection.of(text, buildArgs, target, platform, skip);
    } catch (DockerfileException e) {
      return new Report(null, List.of(new Problem("syntax", e.lines(), e.getMessage())));
    } catch (Analysis.TargetNotFoundException e) {
      return new Report(null, List.of(new Problem("target", null, e.getMessage())));
    }
    List<Problem> problems = new ArrayList<>();
    for (BaseImagePolicy.Violation violation : policy.check(inspection.analysis())) {
      problems.add(new Problem("policy", violation.lines(), violation.message()));
    }
    for (Finding error : inspection.errors()) {
      problems.add(new Problem("check", error.lines(), describe(error)));
    }
    return new Report(inspection, problems);
  }

  /**
   * Checks the Dockerfile of a build about to be queued.
   *
   * @return the findings to keep with the build as its warnings
   * @throws Failures.RequestRejected for a syntax error, an unknown target, an image the allowlist
   *     refuses or a finding that is an error, naming the line
   */
  public List<Finding> admit(String text, BuildSpec spec) {
    String platform =
        spec.options().platform() == null ? null : spec.options().platform().toString();
    Report report = analyze(text, spec.buildArgs(), spec.target(), platform, Set.of());
    if (report.problems().isEmpty()) {
      return report.inspection().warnings();
    }
    Problem first = report.problems().getFirst();
    String message =
        report.problems().stream().map(Problem::message).collect(Collectors.joining("; "));
    throw switch (first.kind()) {
      case "target" -> new Failures.RequestRejected("invalid_field", message, "target");
      case "policy" ->
          new Failures.RequestRejected("base_image_not_allowed", message, "dockerfile");
      case "check" ->
          new Failures.RequestRejected("dockerfile_check_failed", message, "dockerfile");
      default -> new Failures.RequestRejected("invalid_dockerfile", message, "dockerfile");
    };
  }

  private static String describe(Finding finding) {
    return finding.lines().describe() + ": " + finding.message() + " [" + finding.id() + "]";
  }

  /**
   * The outcome of reading a Dockerfile.
   *
   * @param inspection the parse, analysis and findings, or {@code null} when it does not parse or
   *     its target does not exist
   * @param problems what stops it from being built, in order
   */
  public record Report(Inspection inspection, List<Problem> problems) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /**
   * One thing that stops a Dockerfile from being built.
   *
   * @param kind {@code syntax}, {@code target}, {@code policy} or {@code check}
   * @param lines the lines at fault, or {@code null} when no line is (an unknown target)
   * @param message what is wrong, naming the line
   */
  public record Problem(String kind, LineRange lines, String message) {}
}
