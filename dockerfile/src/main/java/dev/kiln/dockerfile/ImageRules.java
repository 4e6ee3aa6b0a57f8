package dev.kiln.dockerfile;

import java.util.List;

/** Rules about the images stages are built from. */
final class ImageRules {
  private ImageRules() {}

  static void check(Linter.LintContext context) {
    List<Stage> stages = context.dockerfile().stages();
    for (Stage stage : stages) {
      Evaluation.StageResult result = context.evaluation().stages().get(stage.index());
      if (result.kind() != Analysis.BaseKind.IMAGE) {
        continue;
      }
      ImageName image = ImageName.parse(result.base());
      LineRange lines = stage.from().lines();
      if (image.unpinned()) {
        context.report(
            Rule.UNTAGGED_BASE_IMAGE,
            lines,
            "base image '"
                + result.base()
                + "' has no tag, so each build takes whatever 'latest' is that day",
            "Pin a version, such as FROM "
                + result.base()
                + ":<version>, or a digest (@sha256:…).");
      } else if ("latest".equals(image.tag()) && image.digest() == null) {
        context.report(
            Rule.LATEST_BASE_IMAGE,
            lines,
            "base image '" + result.base() + "' uses the 'latest' tag, which moves",
            "Pin a version tag or a digest instead of latest.");
      }
    }
    for (Evaluation.UndefinedVariable variable : context.evaluation().undefined()) {
      if (variable.stage() == null && variable.keyword().equals("FROM")) {
        context.report(
            Rule.UNDEFINED_ARG_IN_FROM,
            variable.lines(),
            "FROM uses '" + variable.name() + "', which no ARG before the first FROM declares",
            "Declare it before the first FROM: ARG " + variable.name() + "=<default>.");
      }
    }
  }
}
