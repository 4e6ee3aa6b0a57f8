package dev.kiln.dockerfile;

/**
 * A Dockerfile that cannot be built as written: a syntax error, or a build argument, target or base
 * image that leads nowhere. It always names the lines at fault.
 */
public class DockerfileException extends RuntimeException {
  private final LineRange lines;
  private final String problem;

  public DockerfileException(LineRange lines, String problem) {
    super(lines.describe() + ": " + problem);
    this.lines = lines;
    this.problem = problem;
  }

  /** The lines at fault. */
  public LineRange lines() {
    return lines;
  }

  /** What is wrong, without the line numbers. */
  public String problem() {
    return problem;
  }
}
