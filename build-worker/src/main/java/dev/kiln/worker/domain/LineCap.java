package dev.kiln.worker.domain;

/**
 * Cuts a log line that is too long, at a character boundary, and says so at its end, so one endless
 * line can neither exhaust memory nor fill a log record.
 */
public final class LineCap {
  private final int maxBytes;

  /**
   * @param maxBytes the longest line kept, in UTF-8 bytes
   */
  public LineCap(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("the line limit must be positive");
    }
    this.maxBytes = maxBytes;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** The line as it is, or its first {@code maxBytes} bytes and a note that it was cut. */
  public String apply(String text) {
    if (text.length() <= maxBytes / 4 || utf8Length(text) <= maxBytes) {
      return text;
    }
    int bytes = 0;
    int end = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int size = utf8Length(codePoint);
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end) + " … [line cut at " + maxBytes + " bytes]";
  }

  /** The number of bytes of the text in UTF-8. */
  public static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      bytes += utf8Length(codePoint);
      i += Character.charCount(codePoint);
    }
    return bytes;
  }

  private static int utf8Length(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    return codePoint < 0x10000 ? 3 : 4;
  }
}
