package dev.kiln.contracts;

/** A move the build state machine forbids, naming the build it was tried on. */
public final class IllegalTransitionException extends IllegalStateException {
  private final String buildId;
  private final BuildState from;
  private final BuildState to;

  public IllegalTransitionException(String buildId, BuildState from, BuildState to) {
    super("build " + buildId + " cannot move from " + from + " to " + to);
    this.buildId = buildId;
    this.from = from;
    this.to = to;
  }

  public String buildId() {
    return buildId;
  }

  public BuildState from() {
    return from;
  }

  public BuildState to() {
    return to;
  }
}
