package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the exec form: a JSON array of strings. Anything else (not JSON, or an array holding
 * something other than strings) is not the exec form, and the instruction falls back to the shell
 * form, as in BuildKit.
 */
final class JsonArray {
  private final String text;
  private int pos;

  private JsonArray(String text) {
    this.text = text;
  }

  static Optional<List<String>> parse(String text) {
    if (!text.startsWith("[")) {
      return Optional.empty();
    }
    JsonArray reader = new JsonArray(text);
    try {
      List<String> values = reader.array();
      reader.blanks();
      return reader.pos == text.length() ? Optional.of(values) : Optional.empty();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private List<String> array() {
    expect('[');
    List<String> values = new ArrayList<>();
    blanks();
    if (peek() == ']') {
      pos++;
      return values;
    }
    while (true) {
      blanks();
      values.add(string());
      blanks();
      char ch = text.charAt(pos++);
      if (ch == ']') {
        return values;
      }
      if (ch != ',') {
        throw new IllegalArgumentException("expected , or ]");
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder value = new StringBuilder();
    while (true) {
      char ch = text.charAt(pos++);
      if (ch == '"') {
        return value.toString();
      }
      if (ch < 0x20) {
        throw new IllegalArgumentException("control character in a string");
      }
      if (ch != '\\') {
        value.append(ch);
        continue;
      }
      char escaped = text.charAt(pos++);
      switch (escaped) {
        case '"', '\\', '/' -> value.append(escaped);
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'n' -> value.append('\n');
        case 'r' -> value.append('\r');
        case 't' -> value.append('\t');
        case 'u' -> {
          value.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw new IllegalArgumentException("bad escape");
      }
    }
  }

  private void expect(char ch) {
    if (peek() != ch) {
      throw new IllegalArgumentException("expected " + ch);
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : 0;
  }

  private void blanks() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }
}
