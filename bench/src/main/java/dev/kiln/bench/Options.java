package dev.kiln.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options of a benchmark, each with a default. */
final class Options {
  private final Map<String, String> values = new HashMap<>();

  Options(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException("options come as --name value; got " + args[i]);
      }
      values.put(args[i].substring(2), args[++i]);
    }
  }

  int integer(String name, int otherwise) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : otherwise;
  }

  String text(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }
}
