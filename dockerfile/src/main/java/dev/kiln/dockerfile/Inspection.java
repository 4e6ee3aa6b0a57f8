package dev.kiln.dockerfile;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything Kiln learns from a Dockerfile before building it: the parse, the analysis of the build
 * asked for, and the lint findings.
 */
public record Inspection(Dockerfile dockerfile, Analysis analysis, List<Finding> findings) {
  public Inspection {
    findings = List.copyOf(findings);
  }

  /**
   * Parses, analyses and lints one Dockerfile for one build.
   *
   * @param buildArgs the values given for ARGs
   * @param target the stage to build, or {@code null} for the last
   * @param platform the platform built for, or {@code null} for {@code linux/amd64}
   * @param skip lint rules not to run, by id or hadolint code
   * @throws DockerfileException for a syntax error, naming its line
   * @throws Analysis.TargetNotFoundException when no stage has the target's name
   */
  public static Inspection of(
      String text,
      Map<String, String> buildArgs,
      String target,
      String platform,
      Set<String> skip) {
    Dockerfile dockerfile = DockerfileParser.parse(text);
    Analysis analysis = Analysis.of(dockerfile, buildArgs, target, platform);
    List<Finding> findings = Linter.lint(dockerfile, buildArgs, platform, skip);
    return new Inspection(dockerfile, analysis, findings);
  }

  /** The findings that stop a build. */
  public List<Finding> errors() {
    return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
  }

  /** The findings that do not stop a build. */
  public List<Finding> warnings() {
    return findings.stream().filter(f -> f.severity() != Severity.ERROR).toList();
  }
}
