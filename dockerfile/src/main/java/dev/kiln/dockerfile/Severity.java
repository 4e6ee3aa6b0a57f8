package dev.kiln.dockerfile;

/** How much a finding matters. */
public enum Severity {
  /** The build fails or does something else than written: a build is refused for it. */
  ERROR,
  /** Likely a mistake, or a practice that makes images larger, slower or less reproducible. */
  WARNING,
  /** Worth knowing; nothing is wrong yet. */
  INFO
}
