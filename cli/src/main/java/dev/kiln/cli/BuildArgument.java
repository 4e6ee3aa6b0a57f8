package dev.kiln.cli;

import java.util.Map;
import java.util.Optional;

/** {@code --build-arg K=V}, or {@code --build-arg K} to take K from the environment. */
final class BuildArgument {
  private BuildArgument() {}

  /** The name and value, or empty when a bare name is not set in the environment. */
  static Optional<Map.Entry<String, String>> parse(String text, Map<String, String> env) {
    int equals = text.indexOf('=');
    String name = equals < 0 ? text : text.substring(0, equals);
    if (name.isBlank()) {
      throw new UsageProblem("--build-arg '" + text + "' has no name; write NAME=VALUE");
    }
    if (equals >= 0) {
      return Optional.of(Map.entry(name, text.substring(equals + 1)));
    }
    return Optional.ofNullable(env.get(name)).map(value -> Map.entry(name, value));
  }
}
