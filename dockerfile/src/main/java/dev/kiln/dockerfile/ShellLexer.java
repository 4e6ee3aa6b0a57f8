package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell-like word processing BuildKit applies to instruction arguments: quotes, the escape
 * character, and variable expansion ({@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code
 * ${VAR:+alt}}, {@code ${VAR?err}}, {@code ${VAR#pre}}, {@code ${VAR%suf}}, {@code ${VAR/a/b}}). It
 * is not a shell: RUN commands are left to the shell in the image.
 */
final class ShellLexer {
  /** Thrown for a word that cannot be processed, such as an unclosed quote. */
  static final class LexException extends Exception {
    LexException(String message) {
      super(message);
    }
  }

  /**
   * Processed text and the variables it referred to that had no value.
   *
   * @param words the words, or the single processed word
   * @param unset names of variables used while unset, in the order they appear
   */
  record Result(List<String> words, Set<String> unset) {
    String word() {
      return String.join("", words);
    }
  }

  private static final char EOF = '\uFFFF';

  private final char escape;
  private final boolean rawQuotes;
  private final boolean rawEscapes;
  private final boolean skipUnset;

  private ShellLexer(char escape, boolean rawQuotes, boolean rawEscapes, boolean skipUnset) {
    this.escape = escape;
    this.rawQuotes = rawQuotes;
    this.rawEscapes = rawEscapes;
    this.skipUnset = skipUnset;
  }

  /** Removes quotes and escapes and expands variables, as BuildKit does for ENV or COPY. */
  static ShellLexer expanding(char escape) {
    return new ShellLexer(escape, false, false, false);
  }

  /** Keeps quotes and escapes as written and leaves unset variables alone: only splits words. */
  static ShellLexer raw(char escape) {
    return new ShellLexer(escape, true, true, true);
  }

  /** Leaves quotes and escapes as written but keeps unset variables too, to tell quoted words. */
  static ShellLexer quoting(char escape, boolean rawQuotes) {
    return new ShellLexer(escape, rawQuotes, false, true);
  }

  /**
   * Processes text as one word: whitespace stays as it is.
   *
   * @param env the value of a variable, or {@code null} when it is unset
   */
  Result word(String text, Function<String, String> env) throws LexException {
    Run run = new Run(text, env);
    String result = run.processUntil(EOF, rawEscapes);
    return new Result(List.of(result), run.unset);
  }

  /** Processes text and splits it into words at unquoted whitespace. */
  Result words(String text, Function<String, String> env) throws LexException {
    Run run = new Run(text, env);
    run.processUntil(EOF, rawEscapes);
    return new Result(run.words.finish(), run.unset);
  }

  /** Collects words the way a shell splits them: expanded values split, quoted parts do not. */
  private static final class Words {
    private final List<String> done = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;

    void addChar(char ch) {
      if (Character.isWhitespace(ch)) {
        if (inWord && !word.isEmpty()) {
          done.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        addRawChar(ch);
      }
    }

    void addRawChar(char ch) {
      word.append(ch);
      inWord = true;
    }

    void addString(String text) {
      for (int i = 0; i < text.length(); i++) {
        addChar(text.charAt(i));
      }
    }

    void addRawString(String text) {
      word.append(text);
      inWord = true;
    }

    List<String> finish() {
      if (!word.isEmpty()) {
        done.add(word.toString());
        word.setLength(0);
      }
      return List.copyOf(done);
    }
  }

  /** One pass over one text. */
  private final class Run {
    private final String text;
    private final Function<String, String> env;
    private final Set<String> unset = new LinkedHashSet<>();
    private final Words words = new Words();
    private int pos;

    Run(String text, Function<String, String> env) {
      this.text = text;
      this.env = env;
    }

    private char peek() {
      return pos < text.length() ? text.charAt(pos) : EOF;
    }

    private char next() {
      return pos < text.length() ? text.charAt(pos++) : EOF;
    }

    String processUntil(char stop, boolean keepEscapes) throws LexException {
      StringBuilder result = new StringBuilder();
      while (peek() != EOF) {
        char ch = peek();
        if (stop != EOF && ch == stop) {
          next();
          return result.toString();
        }
        if (ch == '\'' || ch == '"' || ch == '$') {
          String part = ch == '\'' ? singleQuoted() : ch == '"' ? doubleQuoted() : dollar();
          result.append(part);
          if (ch == '$') {
            words.addString(part);
          } else {
            words.addRawString(part);
          }
          continue;
        }
        ch = next();
        if (ch == escape) {
          if (keepEscapes) {
            words.addRawChar(ch);
            result.append(ch);
          }
          ch = next();
          if (ch == EOF) {
            break;
          }
          words.addRawChar(ch);
        } else {
          words.addChar(ch);
        }
        result.append(ch);
      }
      if (stop != EOF) {
        throw new LexException("unexpected end of statement while looking for matching " + stop);
      }
      return result.toString();
    }

    private String singleQuoted() throws LexException {
      StringBuilder result = new StringBuilder();
      char quote = next();
      if (rawQuotes) {
        result.append(quote);
      }
      while (true) {
        char ch = next();
        if (ch == EOF) {
          throw new LexException(
              "unexpected end of statement while looking for matching single-quote");
        }
        if (ch == '\'') {
          if (rawQuotes) {
            result.append(ch);
          }
          return result.toString();
        }
        result.append(ch);
      }
    }

    private String doubleQuoted() throws LexException {
      StringBuilder result = new StringBuilder();
      char quote = next();
      if (rawQuotes) {
        result.append(quote);
      }
      while (true) {
        char ch = peek();
        if (ch == EOF) {
          throw new LexException(
              "unexpected end of statement while looking for matching double-quote");
        }
        if (ch == '"') {
          next();
          if (rawQuotes) {
            result.append(ch);
          }
          return result.toString();
        }
        if (ch == '$') {
          result.append(dollar());
          continue;
        }
        ch = next();
        if (ch == escape) {
          char escaped = peek();
          if (escaped == EOF) {
            continue;
          }
          if (escaped == '"' || escaped == '$' || escaped == escape) {
            if (rawEscapes) {
              result.append(ch);
            }
            ch = next();
          }
        }
        result.append(ch);
      }
    }

    private String dollar() throws LexException {
      next();
      if (peek() != '{') {
        String name = name();
        if (name.isEmpty()) {
          return "$";
        }
        String value = lookUp(name);
        if (value == null && skipUnset) {
          return "$" + name;
        }
        return value == null ? "" : value;
      }
      next();
      char first = peek();
      if (first == EOF) {
        throw new LexException("syntax error: missing '}'");
      }
      if (first == '{' || first == '}' || first == ':') {
        throw new LexException("syntax error: bad substitution");
      }
      String name = name();
      char ch = next();
      String modifier = String.valueOf(ch);
      boolean nullIsUnset = false;
      switch (ch) {
        case '}' -> {
          String value = lookUp(name);
          if (value == null && skipUnset) {
            return "${" + name + "}";
          }
          return value == null ? "" : value;
        }
        case ':' -> {
          nullIsUnset = true;
          ch = next();
          modifier += ch;
          if (ch != '+' && ch != '-' && ch != '?') {
            throw new LexException("unsupported modifier (" + modifier + ") in substitution");
          }
        }
        case '+', '-', '?', '#', '%' -> {}
        case '/' -> {
          return replacement(name);
        }
        default ->
            throw new LexException("unsupported modifier (" + modifier + ") in substitution");
      }
      boolean pattern = ch == '#' || ch == '%';
      String word = processNested('}', pattern);
      // A default, an alternative or an error message says the writer expects it may be unset.
      String value = pattern ? lookUp(name) : env.apply(name);
      if (skipUnset && value == null) {
        return "${" + name + modifier + word + "}";
      }
      boolean missing = value == null || (nullIsUnset && value.isEmpty());
      return switch (ch) {
        case '-' -> missing ? word : value;
        case '+' -> missing ? "" : word;
        case '?' -> {
          if (missing) {
            throw new LexException(
                name
                    + ": "
                    + (word.isEmpty()
                        ? value == null
                            ? "is not allowed to be unset"
                            : "is not allowed to be empty"
                        : word));
          }
          yield value;
        }
        default -> trim(ch, word, value == null ? "" : value);
      };
    }

    /** A nested word ends at {@code stop}; its own words do not count as words of the text. */
    private String processNested(char stop, boolean keepEscapes) throws LexException {
      Words outer = new Words();
      outer.done.addAll(words.done);
      outer.word.append(words.word);
      outer.inWord = words.inWord;
      String nested = processUntil(stop, keepEscapes);
      words.done.clear();
      words.done.addAll(outer.done);
      words.word.setLength(0);
      words.word.append(outer.word);
      words.inWord = outer.inWord;
      return nested;
    }

    private String replacement(String name) throws LexException {
      boolean all = peek() == '/';
      if (all) {
        next();
      }
      String pattern = processNested('/', true);
      String with = processNested('}', true);
      String value = lookUp(name);
      if (skipUnset && value == null) {
        return "${" + name + "/" + (all ? "/" : "") + pattern + "/" + with + "}";
      }
      if (value == null) {
        return "";
      }
      Matcher matcher = glob(pattern).matcher(value);
      return all
          ? matcher.replaceAll(Matcher.quoteReplacement(with))
          : matcher.replaceFirst(Matcher.quoteReplacement(with));
    }

    private String trim(char side, String word, String value) {
      boolean greedy = !word.isEmpty() && word.charAt(0) == side;
      String pattern = greedy ? word.substring(1) : word;
      Pattern glob = glob(pattern);
      if (side == '#') {
        for (int i = greedy ? value.length() : 0;
            greedy ? i >= 0 : i <= value.length();
            i += greedy ? -1 : 1) {
          if (glob.matcher(value.substring(0, i)).matches()) {
            return value.substring(i);
          }
        }
      } else {
        for (int i = greedy ? 0 : value.length();
            greedy ? i <= value.length() : i >= 0;
            i += greedy ? 1 : -1) {
          if (glob.matcher(value.substring(i)).matches()) {
            return value.substring(0, i);
          }
        }
      }
      return value;
    }

    private String name() {
      StringBuilder name = new StringBuilder();
      while (peek() != EOF) {
        char ch = peek();
        if (name.isEmpty() && Character.isDigit(ch)) {
          while (peek() != EOF && Character.isDigit(peek())) {
            name.append(next());
          }
          return name.toString();
        }
        if (name.isEmpty() && "@*#?-$!0".indexOf(ch) >= 0) {
          return String.valueOf(next());
        }
        if (!Character.isLetterOrDigit(ch) && ch != '_') {
          break;
        }
        name.append(next());
      }
      return name.toString();
    }

    private String lookUp(String name) {
      String value = env.apply(name);
      if (value == null
          && !name.isEmpty()
          && (Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
        unset.add(name);
      }
      return value;
    }
  }

  /** A shell pattern ({@code *}, {@code ?}, {@code [..]}) as a regular expression. */
  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      switch (ch) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        case '[' -> {
          int close = pattern.indexOf(']', i + 1);
          if (close < 0) {
            regex.append("\\[");
          } else {
            String set = pattern.substring(i + 1, close).replace("\\", "\\\\");
            regex
                .append('[')
                .append(set.startsWith("!") ? "^" + set.substring(1) : set)
                .append(']');
            i = close;
          }
        }
        case '\\' -> {
          if (i + 1 < pattern.length()) {
            regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
          }
        }
        default -> regex.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
