package dev.kiln.gateway.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.dockerfile.Analysis;
import dev.kiln.dockerfile.LineRange;
import dev.kiln.gateway.app.DockerfileChecks;
import java.util.List;
import java.util.Locale;

/**
 * The answer of {@code POST /api/v1/dockerfiles/analyze}.
 *
 * @param valid whether Kiln would build it: it parses, its target exists, the allowlist allows its
 *     images and no finding is an error
 * @param errors what stops it from being built, each naming its lines
 * @param analysis its stages, targets, ARGs, images and steps; absent when it does not parse
 * @param findings the lint findings
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisView(
    boolean valid, List<Problem> errors, Details analysis, List<FindingView> findings) {

  /** Something that stops the build; {@code kind} is syntax, target, policy or check. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Problem(String kind, LineRange lines, String message) {}

  /**
   * What building the Dockerfile for its target involves.
   *
   * @param target the stage built, by index
   * @param steps how many steps building the target takes
   */
  public record Details(
      int target,
      List<Stage> stages,
      List<String> targets,
      List<Analysis.DeclaredArg> args,
      List<Analysis.ImageUse> images,
      int steps) {}

  /**
   * One stage.
   *
   * @param baseKind {@code image}, {@code stage} or {@code scratch}
   * @param built whether building the target builds it
   * @param steps its number of steps
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Stage(
      int index,
      String name,
      LineRange lines,
      String base,
      String baseKind,
      Integer baseStage,
      List<Integer> dependsOn,
      boolean built,
      int steps) {}

  static AnalysisView of(DockerfileChecks.Report report) {
    List<Problem> errors =
        report.problems().stream().map(p -> new Problem(p.kind(), p.lines(), p.message())).toList();
    if (report.inspection() == null) {
      return new AnalysisView(false, errors, null, List.of());
    }
    Analysis analysis = report.inspection().analysis();
    List<Stage> stages =
        analysis.stages().stream()
            .map(
                s ->
                    new Stage(
                        s.index(),
                        s.name(),
                        s.lines(),
                        s.base(),
                        s.baseKind().name().toLowerCase(Locale.ROOT),
                        s.baseStage(),
                        s.dependsOn(),
                        s.built(),
                        s.stepCount()))
            .toList();
    Details details =
        new Details(
            analysis.target(),
            stages,
            analysis.targets(),
            analysis.args(),
            analysis.images(),
            analysis.stepCount());
    return new AnalysisView(
        report.valid(), errors, details, FindingView.of(report.inspection().findings()));
  }
}
