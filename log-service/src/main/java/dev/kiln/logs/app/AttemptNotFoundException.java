package dev.kiln.logs.app;

/** A build is known but has no such attempt. */
public class AttemptNotFoundException extends RuntimeException {
  public AttemptNotFoundException(String buildId, int attempt, int latest) {
    super("build " + buildId + " has no attempt " + attempt + "; its latest is " + latest);
  }
}
