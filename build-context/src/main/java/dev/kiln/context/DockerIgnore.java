package dev.kiln.context;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules of a {@code .dockerignore} file and what they decide for each path of a build context,
 * with Docker's semantics (moby's {@code patternmatcher}):
 *
 * <ul>
 *   <li>a line starting with {@code #} is a comment; blank lines are skipped; each line is trimmed
 *       and cleaned like Go's {@code filepath.Clean} ({@code ./}, {@code //} and a trailing {@code
 *       /} go, {@code ..} is resolved), and a leading {@code /} is dropped, so {@code /foo} and
 *       {@code foo} are the same rule;
 *   <li>{@code *} matches any run of characters but {@code /}, {@code ?} one such character, {@code
 *       [a-z]} a class, {@code \} escapes the next character (Go's {@code filepath.Match}); {@code
 *       **} matches any number of folders, none included;
 *   <li>a rule that matches a folder matches everything below it;
 *   <li>a line starting with {@code !} is an exception that includes again what earlier rules
 *       excluded; the last rule that matches a path decides.
 * </ul>
 *
 * Paths are relative to the context's root, with {@code /} between names.
 */
public final class DockerIgnore {
  /** The file's name at the root of a context. */
  public static final String FILE_NAME = ".dockerignore";

  /** No rules: nothing is excluded. */
  public static final DockerIgnore NONE = new DockerIgnore(List.of());

  private static final String REGEX_SPECIALS = ".$^()+{}|";

  /**
   * One rule.
   *
   * @param pattern the cleaned pattern, without its {@code !}
   * @param exception whether it includes again ({@code !}) rather than excludes
   */
  public record Rule(String pattern, boolean exception, Pattern regex) {}

  private final List<Rule> rules;
  private final boolean hasExceptions;

  private DockerIgnore(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    this.hasExceptions = rules.stream().anyMatch(Rule::exception);
  }

  /**
   * Reads the text of a {@code .dockerignore} file.
   *
   * @throws IllegalArgumentException naming the line of a pattern that is not valid
   */
  public static DockerIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
      if (line.startsWith("#")) {
        continue;
      }
      String pattern = line.strip();
      if (pattern.isEmpty()) {
        continue;
      }
      boolean exception = pattern.startsWith("!");
      if (exception) {
        pattern = pattern.substring(1).strip();
        if (pattern.isEmpty()) {
          throw new IllegalArgumentException(
              FILE_NAME + " line " + (i + 1) + ": '!' alone is not a pattern");
        }
      }
      pattern = clean(pattern);
      if (pattern.length() > 1 && pattern.startsWith("/")) {
        pattern = pattern.substring(1);
      }
      try {
        rules.add(new Rule(pattern, exception, Pattern.compile(regex(pattern))));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            FILE_NAME + " line " + (i + 1) + ": '" + line.strip() + "' is not a valid pattern", e);
      }
    }
    return new DockerIgnore(rules);
  }

  /** The rules, in file order. */
  public List<Rule> rules() {
    return rules;
  }

  /** Whether any rule is an exception, so something inside an excluded folder may come back. */
  public boolean hasExceptions() {
    return hasExceptions;
  }

  /**
   * Whether the path is left out of the context.
   *
   * @param path relative to the context's root, such as {@code src/main.c}
   */
  public boolean excludes(String path) {
    String file = clean(path);
    List<String> parents = parents(file);
    boolean excluded = false;
    for (Rule rule : rules) {
      // An exception can only change an excluded path, an exclusion only an included one.
      if (rule.exception() != excluded) {
        continue;
      }
      boolean matches = rule.regex().matcher(file).matches();
      for (int i = 0; !matches && i < parents.size(); i++) {
        matches = rule.regex().matcher(parents.get(i)).matches();
      }
      if (matches) {
        excluded = !rule.exception();
      }
    }
    return excluded;
  }

  /** {@code a}, {@code a/b} for {@code a/b/c}: every folder the path lies in. */
  private static List<String> parents(String file) {
    List<String> parents = new ArrayList<>();
    int slash = file.indexOf('/');
    while (slash > 0) {
      parents.add(file.substring(0, slash));
      slash = file.indexOf('/', slash + 1);
    }
    return parents;
  }

  /** The regular expression of a pattern, as moby's patternmatcher builds it. */
  private static String regex(String pattern) {
    StringBuilder regex = new StringBuilder("^");
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i++);
      if (c == '*') {
        if (i < pattern.length() && pattern.charAt(i) == '*') {
          i++;
          if (i < pattern.length() && pattern.charAt(i) == '/') {
            i++;
          }
          regex.append(i == pattern.length() ? ".*" : "(.*/)?");
        } else {
          regex.append("[^/]*");
        }
      } else if (c == '?') {
        regex.append("[^/]");
      } else if (REGEX_SPECIALS.indexOf(c) >= 0) {
        regex.append('\\').append(c);
      } else if (c == '\\') {
        regex.append('\\');
        if (i < pattern.length()) {
          regex.append(pattern.charAt(i++));
        } else {
          regex.append('\\');
        }
      } else {
        regex.append(c);
      }
    }
    return regex.append('$').toString();
  }

  /** Go's {@code filepath.Clean} for {@code /}-separated paths. */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty() && !parts.getLast().equals("..")) {
          parts.removeLast();
        } else if (!rooted) {
          parts.add(part);
        }
        continue;
      }
      parts.add(part);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
