package dev.kiln.dockerfile;

/**
 * One lint finding.
 *
 * @param id the rule, such as {@code LatestBaseImage}; {@code # check=skip=<id>} turns it off
 * @param severity how much it matters
 * @param lines the lines at fault
 * @param message what is wrong there
 * @param fix how to put it right
 */
public record Finding(String id, Severity severity, LineRange lines, String message, String fix) {
  Finding escalated() {
    return new Finding(id, Severity.ERROR, lines, message, fix);
  }
}
