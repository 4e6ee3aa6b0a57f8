package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which images builds may use: a list of glob patterns, where {@code *} matches within one path
 * part (not {@code /}), {@code **} matches anything and {@code ?} one character. An image is
 * allowed when a pattern matches it as written after ARG expansion or in its full form ({@code
 * busybox} is also {@code docker.io/library/busybox:latest}). An empty list allows every image.
 * {@code scratch} and earlier stages are not images and always pass.
 */
public final class BaseImagePolicy {
  private final List<String> patterns;
  private final List<Pattern> compiled;

  private BaseImagePolicy(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    this.compiled = this.patterns.stream().map(BaseImagePolicy::compile).toList();
  }

  /** A policy allowing images that match one of {@code patterns}, or every image when empty. */
  public static BaseImagePolicy allowing(List<String> patterns) {
    return new BaseImagePolicy(
        patterns.stream().map(String::strip).filter(p -> !p.isEmpty()).toList());
  }

  public List<String> patterns() {
    return patterns;
  }

  /** Whether the policy lets one image reference through. */
  public boolean allows(String reference) {
    if (patterns.isEmpty()) {
      return true;
    }
    String normalized = ImageName.parse(reference).normalized();
    return compiled.stream()
        .anyMatch(p -> p.matcher(reference).matches() || p.matcher(normalized).matches());
  }

  /**
   * The images of the stages a build builds that the policy refuses, each naming its line.
   *
   * @return nothing when every image is allowed
   */
  public List<Violation> check(Analysis analysis) {
    List<Violation> violations = new ArrayList<>();
    for (Analysis.ImageUse image : analysis.images()) {
      if (!allows(image.reference())) {
        violations.add(new Violation(image, patterns));
      }
    }
    return List.copyOf(violations);
  }

  /**
   * An image the policy refuses.
   *
   * @param image the image and the line that uses it
   * @param patterns the patterns it matched none of
   */
  public record Violation(Analysis.ImageUse image, List<String> patterns) {
    public LineRange lines() {
      return image.lines();
    }

    /** What a person reads: the line, the image, and what would have been allowed. */
    public String message() {
      String written =
          image.written().equals(image.reference()) ? "" : " (written '" + image.written() + "')";
      return image.lines().describe()
          + ": "
          + image.use()
          + " image '"
          + image.reference()
          + "'"
          + written
          + " is not allowed; allowed images match one of "
          + patterns;
    }
  }

  private static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char ch = glob.charAt(i);
      if (ch == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (ch == '*') {
        regex.append("[^/]*");
      } else if (ch == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
