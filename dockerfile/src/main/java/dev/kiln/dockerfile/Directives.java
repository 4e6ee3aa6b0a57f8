package dev.kiln.dockerfile;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parser directives at the top of a Dockerfile ({@code # syntax=…}, {@code # escape=…}, {@code
 * # check=…}). They are read only before the first instruction, comment that is not a directive, or
 * empty line, as BuildKit reads them.
 *
 * @param syntax the frontend image named by {@code syntax}, or {@code null}
 * @param escape the escape character, {@code \} unless {@code escape} says {@code `}
 * @param skippedChecks the lint rules {@code check=skip=…} turns off; {@code all} turns off every
 *     rule
 * @param checksFail whether {@code check=error=true} makes every finding fail the build
 * @param count how many lines at the top are directives
 */
public record Directives(
    String syntax, char escape, Set<String> skippedChecks, boolean checksFail, int count) {
  private static final Pattern DIRECTIVE =
      Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
  private static final Set<String> KNOWN = Set.of("syntax", "escape", "check");

  public Directives {
    skippedChecks = Set.copyOf(skippedChecks);
  }

  /** Reads the directives from the first physical lines of a Dockerfile. */
  static Directives read(List<String> lines) {
    String syntax = null;
    Character escape = null;
    Set<String> skipped = Set.of();
    boolean fail = false;
    boolean checkSeen = false;
    int count = 0;
    for (String line : lines) {
      Matcher directive = DIRECTIVE.matcher(line.strip());
      if (!directive.matches()) {
        break;
      }
      String name = directive.group(1).toLowerCase(Locale.ROOT);
      if (!KNOWN.contains(name)) {
        break;
      }
      String value = directive.group(2);
      LineRange at = LineRange.of(count + 1);
      switch (name) {
        case "syntax" -> {
          requireFirst(syntax == null, at, name);
          syntax = value;
        }
        case "escape" -> {
          requireFirst(escape == null, at, name);
          if (!value.equals("\\") && !value.equals("`")) {
            throw new DockerfileException(
                at, "invalid escape token '" + value + "': the escape character is \\ or `");
          }
          escape = value.charAt(0);
        }
        default -> {
          requireFirst(!checkSeen, at, name);
          checkSeen = true;
          CheckDirective check = CheckDirective.parse(value, at);
          skipped = check.skip();
          fail = check.error();
        }
      }
      count++;
    }
    return new Directives(syntax, escape == null ? '\\' : escape, skipped, fail, count);
  }

  private static void requireFirst(boolean first, LineRange at, String name) {
    if (!first) {
      throw new DockerfileException(at, "only one " + name + " parser directive can be used");
    }
  }

  /** The value of {@code # check=skip=A,B;error=true}. */
  private record CheckDirective(Set<String> skip, boolean error) {
    static CheckDirective parse(String value, LineRange at) {
      Set<String> skip = Set.of();
      boolean error = false;
      for (String part : value.split(";")) {
        String[] keyValue = part.strip().split("=", 2);
        if (keyValue.length != 2) {
          throw new DockerfileException(
              at, "check directive '" + part.strip() + "' must be skip=<rules> or error=<bool>");
        }
        String key = keyValue[0].strip().toLowerCase(Locale.ROOT);
        String setting = keyValue[1].strip();
        switch (key) {
          case "skip" ->
              skip =
                  Set.copyOf(
                      java.util.Arrays.stream(setting.split(","))
                          .map(String::strip)
                          .filter(rule -> !rule.isEmpty())
                          .toList());
          case "error" -> {
            if (!setting.equalsIgnoreCase("true") && !setting.equalsIgnoreCase("false")) {
              throw new DockerfileException(
                  at, "check directive error=" + setting + " must be true or false");
            }
            error = Boolean.parseBoolean(setting);
          }
          default ->
              throw new DockerfileException(
                  at, "unknown check directive option '" + key + "'; use skip or error");
        }
      }
      return new CheckDirective(skip, error);
    }
  }
}
