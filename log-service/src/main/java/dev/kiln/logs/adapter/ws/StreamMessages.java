package dev.kiln.logs.adapter.ws;

import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a stream's messages into the text messages of its connection. Consecutive lines of an
 * attempt leave together, as one {@code log} message, when anything else is sent or on {@link
 * #flush}: a stream that keeps up sends what each live event brought as one message, however many
 * lines it held, and a hundred watchers cost a hundred messages per event, not per line. A message
 * holds at most {@value #BATCH_LINES} lines, and more than {@value #BATCH_CHARS} characters of text
 * only when its one line is that long.
 *
 * <p>Not thread-safe: one stream sends from one thread.
 */
final class StreamMessages {
  static final int BATCH_LINES = 1000;
  static final int BATCH_CHARS = 256 * 1024;

  private final StreamMessageJson json;
  private final Consumer<String> out;
  private final List<LogEntry> batch = new ArrayList<>();
  private int batchChars;

  /**
   * @param out receives each text message, in order
   */
  StreamMessages(StreamMessageJson json, Consumer<String> out) {
    this.json = json;
    this.out = out;
  }

  void add(StreamMessage message) {
    if (message instanceof StreamMessage.Line line) {
      add(line.entry());
    } else {
      flush();
      out.accept(json.encode(message));
    }
  }

  /** Sends the lines held back. */
  void flush() {
    if (!batch.isEmpty()) {
      out.accept(json.lines(batch));
      batch.clear();
      batchChars = 0;
    }
  }

  private void add(LogEntry entry) {
    if (!batch.isEmpty()
        && (batch.getFirst().attempt() != entry.attempt()
            || batch.size() == BATCH_LINES
            || batchChars + entry.text().length() > BATCH_CHARS)) {
      flush();
    }
    batch.add(entry);
    batchChars += entry.text().length();
  }
}
