package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits ENV, LABEL and ARG arguments into words at unquoted whitespace, keeping quotes and escapes
 * as written so that expanding each word later removes them, as BuildKit's parser does.
 */
final class Words {
  private Words() {}

  static List<String> split(String text, char escape) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean blankOk = false;
    char quote = 0;
    int length = text.length();
    for (int pos = 0; pos < length; pos++) {
      char ch = text.charAt(pos);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else if (ch == escape && quote != '\'') {
          if (pos + 1 == length) {
            continue;
          }
          word.append(ch);
          ch = text.charAt(++pos);
        }
        word.append(ch);
        continue;
      }
      if (Character.isWhitespace(ch)) {
        if (inWord && (blankOk || !word.isEmpty())) {
          words.add(word.toString());
        }
        word.setLength(0);
        inWord = false;
        blankOk = false;
        continue;
      }
      inWord = true;
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blankOk = true;
      }
      if (ch == escape) {
        if (pos + 1 == length) {
          continue;
        }
        word.append(ch);
        ch = text.charAt(++pos);
      }
      word.append(ch);
    }
    if (inWord && (blankOk || !word.isEmpty())) {
      words.add(word.toString());
    }
    return words;
  }
}
