package dev.kiln.worker.adapter.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  @Test
  void linesEndAtNewlinesWithoutTheirCarriageReturn() throws IOException {
    assertThat(split("one\r\ntwo\n\nthree")).containsExactly("one", "two", "", "three");
  }

  @Test
  void carriageReturnInsideALineStays() throws IOException {
    assertThat(split("10%\r50%\r100%\n")).containsExactly("10%\r50%\r100%");
  }

  @Test
  void multiByteCharactersSurviveReadsThatSplitThem() throws IOException {
    byte[] text = "grüße ✓\n".getBytes(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    LineSplitter.split(new OneByteAtATime(text), 1024, lines::add);

    assertThat(lines).containsExactly("grüße ✓");
  }

  @Test
  void ofAnEndlessLineOnlyItsBeginningIsKeptAtACharacterBoundary() throws IOException {
    String line = "é".repeat(100_000);

    List<String> lines = split(line + "\nnext\n");

    assertThat(lines).containsExactly("é".repeat(512), "next");
  }

  @Test
  void aLineCutAcrossReadsKeepsWholeCharacters() throws IOException {
    byte[] text = ("a" + "é".repeat(2000) + "\n").getBytes(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    LineSplitter.split(new OneByteAtATime(text), 1024, lines::add);

    assertThat(lines).containsExactly("a" + "é".repeat(511));
  }

  private static List<String> split(String text) throws IOException {
    List<String> lines = new ArrayList<>();
    LineSplitter.split(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1024, lines::add);
    return lines;
  }

  private static final class OneByteAtATime extends InputStream {
    private final byte[] bytes;
    private int next;

    OneByteAtATime(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return next < bytes.length ? bytes[next++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (next >= bytes.length) {
        return -1;
      }
      buffer[offset] = bytes[next++];
      return 1;
    }
  }
}
