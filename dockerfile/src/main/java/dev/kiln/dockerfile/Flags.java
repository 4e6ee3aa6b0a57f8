package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name=value} flags at the start of an instruction's arguments, read as BuildKit reads
 * them: quotes and the backslash work inside a flag, a lone {@code --} ends the flags, and the
 * first word not starting with {@code --} starts the arguments.
 *
 * @param values every flag's values in order, by name; a flag given without a value has {@code
 *     "true"}
 * @param rest the arguments after the flags
 */
record Flags(Map<String, List<String>> values, String rest) {
  /** Splits the leading flags off {@code arguments}. */
  static Flags extract(String arguments) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean blankOk = false;
    char quote = 0;
    String rest = "";
    int pos = 0;
    int length = arguments.length();
    scan:
    for (; pos <= length; pos++) {
      char ch = pos < length ? arguments.charAt(pos) : 0;
      if (!inWord && quote == 0) {
        if (pos == length) {
          break;
        }
        if (Character.isWhitespace(ch)) {
          continue;
        }
        if (ch != '-' || pos + 1 == length || arguments.charAt(pos + 1) != '-') {
          rest = arguments.substring(pos);
          break;
        }
        inWord = true;
      }
      if (pos == length) {
        if (!word.toString().equals("--") && (blankOk || !word.isEmpty())) {
          words.add(word.toString());
        }
        break;
      }
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == length) {
            continue;
          }
          ch = arguments.charAt(++pos);
        }
        word.append(ch);
        continue;
      }
      if (Character.isWhitespace(ch)) {
        inWord = false;
        if (word.toString().equals("--")) {
          rest = arguments.substring(pos).strip();
          break scan;
        }
        if (blankOk || !word.isEmpty()) {
          words.add(word.toString());
        }
        word.setLength(0);
        blankOk = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blankOk = true;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == length) {
          continue;
        }
        ch = arguments.charAt(++pos);
      }
      word.append(ch);
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (String flag : words) {
      String body = flag.substring(2);
      int equals = body.indexOf('=');
      String name = equals < 0 ? body : body.substring(0, equals);
      String value = equals < 0 ? "true" : body.substring(equals + 1);
      values.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value);
    }
    return new Flags(values, rest.strip());
  }

  /**
   * Refuses flags the instruction does not take, and repeated ones that it takes only once.
   *
   * @param single flags given at most once
   * @param repeatable flags that may be given several times
   */
  void allow(String keyword, LineRange at, Set<String> single, Set<String> repeatable) {
    for (Map.Entry<String, List<String>> flag : values.entrySet()) {
      String name = flag.getKey();
      if (!single.contains(name) && !repeatable.contains(name)) {
        throw new DockerfileException(
            at,
            "unknown flag --"
                + name
                + " for "
                + keyword
                + (single.isEmpty() && repeatable.isEmpty()
                    ? ", which takes no flags"
                    : "; it takes " + names(single, repeatable)));
      }
      if (single.contains(name) && flag.getValue().size() > 1) {
        throw new DockerfileException(at, "flag --" + name + " is given more than once");
      }
    }
  }

  String single(String name) {
    List<String> given = values.get(name);
    return given == null ? null : given.getFirst();
  }

  List<String> all(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  /** A flag that is on or off: {@code --link}, {@code --link=true} or {@code --link=false}. */
  boolean bool(String name, LineRange at) {
    String value = single(name);
    if (value == null) {
      return false;
    }
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default ->
          throw new DockerfileException(
              at, "flag --" + name + " is true or false, not '" + value + "'");
    };
  }

  private static String names(Set<String> single, Set<String> repeatable) {
    List<String> all = new ArrayList<>(single);
    all.addAll(repeatable);
    return all.stream().sorted().map(name -> "--" + name).toList().toString();
  }
}
