package dev.kiln.dockerfile;

/**
 * The lines of a Dockerfile an instruction or a finding covers, both counted from 1 and inclusive.
 *
 * @param start the first line
 * @param end the last line, at least {@code start}
 */
public record LineRange(int start, int end) {
  public LineRange {
    if (start < 1 || end < start) {
      throw new IllegalArgumentException("not a line range: " + start + "-" + end);
    }
  }

  public static LineRange of(int line) {
    return new LineRange(line, line);
  }

  /** {@code line 3} or {@code lines 3-5}, as error messages name them. */
  public String describe() {
    return start == end ? "line " + start : "lines " + start + "-" + end;
  }

  @Override
  public String toString() {
    return start + "-" + end;
  }
}
