package dev.kiln.worker.adapter.buildah;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a process's output into lines: at {@code \n} only, without a trailing {@code \r}, decoded as
 * UTF-8 (bad bytes become U+FFFD). Of a line longer than the bytes to keep, only its beginning is
 * kept, cut at a character boundary, and the rest is read and dropped, so one endless line cannot
 * exhaust memory; the log marks such a line as cut.
 */
public final class LineSplitter {
  private LineSplitter() {}

  /**
   * Reads {@code in} to its end, handing every line to {@code lines}.
   *
   * @param keepBytes the most bytes of one line handed on
   */
  public static void split(InputStream in, int keepBytes, Consumer<String> lines)
      throws IOException {
    byte[] buffer = new byte[16 * 1024];
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    int read;
    while ((read = in.read(buffer)) != -1) {
      int start = 0;
      for (int i = 0; i < read; i++) {
        if (buffer[i] == '\n') {
          keep(line, buffer, start, i - start, keepBytes);
          emit(line.toByteArray(), keepBytes, lines);
          line.reset();
          start = i + 1;
        }
      }
      keep(line, buffer, start, read - start, keepBytes);
    }
    if (line.size() > 0) {
      emit(line.toByteArray(), keepBytes, lines);
    }
  }

  private static void keep(
      ByteArrayOutputStream line, byte[] buffer, int start, int length, int keepBytes) {
    line.write(buffer, start, Math.max(0, Math.min(length, keepBytes - line.size())));
  }

  private static void emit(byte[] bytes, int keepBytes, Consumer<String> lines) {
    int length = bytes.length;
    if (length >= keepBytes) {
      length = completeCharacters(bytes, length);
    } else if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    lines.accept(new String(bytes, 0, length, StandardCharsets.UTF_8));
  }

  /** The length without a character that the cut left unfinished at the end. */
  private static int completeCharacters(byte[] bytes, int length) {
    int lead = length - 1;
    while (lead > 0 && lead > length - 4 && (bytes[lead] & 0xC0) == 0x80) {
      lead--;
    }
    int first = bytes[lead] & 0xFF;
    int size = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
    return lead + size > length ? lead : length;
  }
}
