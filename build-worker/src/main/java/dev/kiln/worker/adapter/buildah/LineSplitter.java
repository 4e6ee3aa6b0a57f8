package dev.kiln.worker.adapter.buildah;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a process's output into lines: at {@code \n} only, without a trailing {@code \r}, decoded as
 * UTF-8 (bad bytes become U+FFFD). A line longer than {@link #MAX_LINE_BYTES} is cut into several
 * at character boundaries, so one endless line cannot exhaust memory or exceed a record.
 */
public final class LineSplitter {
  /** The longest line handed on, in bytes. */
  public static final int MAX_LINE_BYTES = 64 * 1024;

  private LineSplitter() {}

  /** Reads {@code in} to its end, handing every line to {@code lines}. */
  public static void split(InputStream in, Consumer<String> lines) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    int read;
    while ((read = in.read(buffer)) != -1) {
      int start = 0;
      for (int i = 0; i < read; i++) {
        if (buffer[i] == '\n') {
          line.write(buffer, start, i - start);
          emit(line.toByteArray(), lines);
          line.reset();
          start = i + 1;
        }
      }
      line.write(buffer, start, read - start);
      while (line.size() > MAX_LINE_BYTES) {
        byte[] bytes = line.toByteArray();
        int cut = characterBoundary(bytes, MAX_LINE_BYTES);
        emit(Arrays.copyOf(bytes, cut), lines);
        line.reset();
        line.write(bytes, cut, bytes.length - cut);
      }
    }
    if (line.size() > 0) {
      emit(line.toByteArray(), lines);
    }
  }

  private static void emit(byte[] bytes, Consumer<String> lines) {
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    lines.accept(new String(bytes, 0, length, StandardCharsets.UTF_8));
  }

  /** The largest cut at or before {@code limit} that does not split a UTF-8 sequence. */
  private static int characterBoundary(byte[] bytes, int limit) {
    int cut = limit;
    while (cut > limit - 4 && cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
      cut--;
    }
    return cut;
  }
}
