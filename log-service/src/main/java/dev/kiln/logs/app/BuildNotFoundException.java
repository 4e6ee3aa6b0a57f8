package dev.kiln.logs.app;

/** Nothing is known about a build: no status and no log line. */
public class BuildNotFoundException extends RuntimeException {
  private final String buildId;

  public BuildNotFoundException(String buildId) {
    super("no status and no log lines are known for build " + buildId);
    this.buildId = buildId;
  }

  public String buildId() {
    return buildId;
  }
}
