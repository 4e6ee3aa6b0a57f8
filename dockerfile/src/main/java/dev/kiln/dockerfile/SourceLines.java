package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits a Dockerfile's physical lines into instructions the way BuildKit's parser does: comment
 * lines are dropped (also inside a continuation), empty lines inside a continuation are skipped, a
 * line ending in the escape character (trailing blanks allowed) goes on in the next, and the bodies
 * of heredocs follow the line that opens them.
 */
final class SourceLines {
  private static final Set<String> HEREDOC_KEYWORDS = Set.of("RUN", "COPY", "ADD");
  private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)\\s*([^<]*)$");

  private SourceLines() {}

  static List<SourceLine> split(List<String> physical, char escape) {
    Pattern continuation = Pattern.compile(Pattern.quote(String.valueOf(escape)) + "[ \\t]*$");
    List<SourceLine> result = new ArrayList<>();
    int index = 0;
    while (index < physical.size()) {
      String first = physical.get(index++).stripLeading();
      int start = index;
      if (isComment(first) || first.isBlank()) {
        continue;
      }
      StringBuilder text = new StringBuilder();
      boolean ended = !continuation.matcher(first).find();
      text.append(ended ? first : continuation.matcher(first).replaceFirst(""));
      boolean emptyContinuation = false;
      while (!ended && index < physical.size()) {
        String next = physical.get(index++);
        if (isComment(next)) {
          continue;
        }
        if (next.isBlank()) {
          emptyContinuation = true;
          continue;
        }
        ended = !continuation.matcher(next).find();
        text.append(ended ? next : continuation.matcher(next).replaceFirst(""));
      }
      String line = text.toString();
      List<Heredoc> heredocs = new ArrayList<>();
      for (Opening opening : openings(line, escape)) {
        StringBuilder content = new StringBuilder();
        boolean terminated = false;
        while (index < physical.size()) {
          String body = physical.get(index++);
          String candidate = opening.chomp() ? body.replaceFirst("^\\t+", "") : body;
          if (candidate.equals(opening.name())) {
            terminated = true;
            break;
          }
          content.append(opening.chomp() ? candidate : body).append('\n');
        }
        if (!terminated) {
          throw new DockerfileException(
              new LineRange(start, Math.max(start, index)),
              "unterminated heredoc: no line '" + opening.name() + "' ends it");
        }
        heredocs.add(
            new Heredoc(
                opening.name(),
                content.toString(),
                opening.expand(),
                opening.chomp(),
                opening.fileDescriptor()));
      }
      result.add(
          new SourceLine(
              line, new LineRange(start, Math.max(start, index)), heredocs, emptyContinuation));
    }
    return result;
  }

  private static boolean isComment(String line) {
    return line.stripLeading().startsWith("#");
  }

  private record Opening(String name, boolean expand, boolean chomp, int fileDescriptor) {}

  /** The heredocs an instruction line opens; only RUN, COPY and ADD (also after ONBUILD) can. */
  private static List<Opening> openings(String line, char escape) {
    String[] parts = line.strip().split("\\s+", 3);
    String keyword = parts[0].toUpperCase(Locale.ROOT);
    if (keyword.equals("ONBUILD") && parts.length > 1) {
      keyword = parts[1].toUpperCase(Locale.ROOT);
    }
    if (!HEREDOC_KEYWORDS.contains(keyword) || !line.contains("<<")) {
      return List.of();
    }
    List<String> words;
    try {
      words = ShellLexer.raw('\\').words(line, name -> null).words();
    } catch (ShellLexer.LexException e) {
      return List.of();
    }
    List<Opening> openings = new ArrayList<>();
    for (String word : words) {
      var match = HEREDOC.matcher(word);
      if (!match.matches() || match.group(3).isEmpty()) {
        continue;
      }
      try {
        List<String> plain =
            ShellLexer.quoting('\\', false).words(match.group(3), n -> null).words();
        List<String> raw = ShellLexer.quoting('\\', true).words(match.group(3), n -> null).words();
        if (plain.size() != 1 || raw.size() != 1) {
          continue;
        }
        boolean expand = quotes(plain.getFirst()) == quotes(raw.getFirst());
        int fd = match.group(1).isEmpty() ? 0 : Integer.parseInt(match.group(1));
        openings.add(new Opening(plain.getFirst(), expand, match.group(2).equals("-"), fd));
      } catch (ShellLexer.LexException | NumberFormatException e) {
        // Not a heredoc word after all; it stays part of the command.
      }
    }
    return openings;
  }

  private static long quotes(String word) {
    return word.chars().filter(ch -> ch == '\'' || ch == '"').count();
  }
}
