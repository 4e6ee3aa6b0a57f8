package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * A rough reading of a shell script, enough for lint rules: the simple commands it runs (split at
 * {@code &&}, {@code ||}, {@code ;}, {@code |}, {@code &} and new lines outside quotes) as words,
 * and whether it pipes one command into another.
 *
 * @param commands each simple command's words, quotes removed
 * @param pipes whether a {@code |} (not {@code ||}) joins two commands
 */
record ShellScript(List<List<String>> commands, boolean pipes) {
  static ShellScript read(String script) {
    List<List<String>> commands = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean pipes = false;
    char quote = 0;
    boolean inWord = false;
    for (int i = 0; i < script.length(); i++) {
      char ch = script.charAt(i);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else if (ch == '\\' && quote == '"' && i + 1 < script.length()) {
          word.append(script.charAt(++i));
        } else {
          word.append(ch);
        }
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        inWord = true;
        continue;
      }
      if (ch == '\\' && i + 1 < script.length()) {
        char next = script.charAt(++i);
        if (next != '\n') {
          word.append(next);
          inWord = true;
        }
        continue;
      }
      if (ch == '#' && !inWord) {
        while (i + 1 < script.length() && script.charAt(i + 1) != '\n') {
          i++;
        }
        continue;
      }
      boolean separator =
          ch == ';' || ch == '&' || ch == '|' || ch == '\n' || ch == '(' || ch == ')';
      if (Character.isWhitespace(ch) || separator) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (separator) {
          if (ch == '|') {
            boolean doubled = i + 1 < script.length() && script.charAt(i + 1) == '|';
            if (doubled) {
              i++;
            } else if (i > 0 && script.charAt(i - 1) != '>') {
              pipes = true;
            }
          }
          if (!words.isEmpty()) {
            commands.add(List.copyOf(words));
            words.clear();
          }
        }
        continue;
      }
      word.append(ch);
      inWord = true;
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (!words.isEmpty()) {
      commands.add(List.copyOf(words));
    }
    return new ShellScript(List.copyOf(commands), pipes);
  }

  /** Whether some command runs {@code set -o pipefail} (also {@code set -euo pipefail}). */
  boolean setsPipefail() {
    return commands.stream()
        .anyMatch(
            command ->
                !command.isEmpty()
                    && command.getFirst().equals("set")
                    && command.contains("pipefail")
                    && command.stream().anyMatch(w -> w.startsWith("-") && w.contains("o")));
  }
}
