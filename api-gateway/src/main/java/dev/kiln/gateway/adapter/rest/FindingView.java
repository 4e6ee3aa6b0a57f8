package dev.kiln.gateway.adapter.rest;

import dev.kiln.dockerfile.Finding;
import dev.kiln.dockerfile.LineRange;
import java.util.List;
import java.util.Locale;

/**
 * A lint finding as the API shows it.
 *
 * @param id the rule, which a skip list or {@code # check=skip=} names
 * @param severity {@code error}, {@code warning} or {@code info}
 * @param lines the lines at fault, {@code {"start":3,"end":4}}
 * @param fix how to put it right
 */
public record FindingView(String id, String severity, LineRange lines, String message, String fix) {
  static FindingView of(Finding finding) {
    return new FindingView(
        finding.id(),
        finding.severity().name().toLowerCase(Locale.ROOT),
        finding.lines(),
        finding.message(),
        finding.fix());
  }

  static List<FindingView> of(List<Finding> findings) {
    return findings == null ? null : findings.stream().map(FindingView::of).toList();
  }
}
