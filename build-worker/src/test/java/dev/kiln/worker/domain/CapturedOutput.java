package dev.kiln.worker.domain;

import dev.kiln.contracts.events.LogStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * buildah output captured on a real machine, one line per line of output, each prefixed with the
 * stream it came on ({@code out|} or {@code err|}) in the order the lines arrived.
 */
record CapturedOutput(List<Line> lines) {
  record Line(LogStream stream, String text) {}

  static CapturedOutput load(String resource) {
    try (InputStream in = CapturedOutput.class.getResourceAsStream("/buildah/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new CapturedOutput(
          text.lines()
              .map(
                  line ->
                      new Line(
                          line.startsWith("err|") ? LogStream.STDERR : LogStream.STDOUT,
                          line.substring(4)))
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
