package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the lint rules over a Dockerfile. Rules named in the request's skip list or in the file's
 * {@code # check=skip=…} directive are not run ({@code all} skips every rule); with {@code #
 * check=error=true} every finding is an error.
 */
public final class Linter {
  private Linter() {}

  /**
   * The findings of every rule that is not skipped, by line.
   *
   * @param buildArgs the values given for ARGs, which decide what FROM lines expand to
   * @param platform the platform built for, or {@code null}
   * @param skip rule ids or hadolint codes not to run; {@code all} for none
   */
  public static List<Finding> lint(
      Dockerfile dockerfile, Map<String, String> buildArgs, String platform, Set<String> skip) {
    Set<Rule> skipped = skipped(dockerfile, skip);
    if (skipped.size() == Rule.values().length) {
      return List.of();
    }
    Evaluation evaluation = Evaluation.run(dockerfile, buildArgs, platform);
    List<Finding> found = new ArrayList<>();
    LintContext context = new LintContext(dockerfile, evaluation, found);
    ImageRules.check(context);
    RunRules.check(context);
    StageRules.check(context);
    return found.stream()
        .filter(finding -> Rule.named(finding.id()).filter(skipped::contains).isEmpty())
        .map(finding -> dockerfile.directives().checksFail() ? finding.escalated() : finding)
        .sorted(Comparator.comparing((Finding f) -> f.lines().start()).thenComparing(Finding::id))
        .toList();
  }

  private static Set<Rule> skipped(Dockerfile dockerfile, Set<String> skip) {
    Set<Rule> skipped = EnumSet.noneOf(Rule.class);
    List<String> names = new ArrayList<>(skip);
    names.addAll(dockerfile.directives().skippedChecks());
    for (String name : names) {
      if (name.strip().toLowerCase(Locale.ROOT).equals("all")) {
        return EnumSet.allOf(Rule.class);
      }
      Rule.named(name).ifPresent(skipped::add);
    }
    return skipped;
  }

  /** What the rules look at, and where they put what they find. */
  record LintContext(Dockerfile dockerfile, Evaluation evaluation, List<Finding> found) {
    void report(Rule rule, LineRange lines, String message, String fix) {
      found.add(rule.finding(lines, message, fix));
    }
  }
}
