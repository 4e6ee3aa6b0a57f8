package dev.kiln.logs.adapter.persistence;

import dev.kiln.logs.domain.LogBatch;
import dev.kiln.logs.domain.LogEntry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.copy.CopyIn;

/**
 * Writes log lines as the rows of a {@code COPY … FROM STDIN} in PostgreSQL's text format: columns
 * separated by tabs, one row per line, {@code \N} for null, and backslash, tab, newline and
 * carriage return escaped. The rows are encoded straight to UTF-8 into a buffer that goes to the
 * server whenever it fills, so a batch is never held twice in memory.
 */
final class CopyRows {
  private static final int FLUSH_AT = 256 * 1024;
  private static final byte[] NULL = {'\\', 'N'};

  private final CopyIn copy;
  private byte[] buffer = new byte[FLUSH_AT + 1024];
  private int size;

  private CopyRows(CopyIn copy) {
    this.copy = copy;
  }

  /**
   * Copies every line into the table the {@code copy} was opened on (columns build_id, attempt,
   * seq, ts, stream, step, text) and ends the copy.
   *
   * @return the rows the server took
   */
  static long copy(CopyIn copy, List<LogBatch.BuildLine> lines) throws SQLException {
    CopyRows rows = new CopyRows(copy);
    try {
      for (LogBatch.BuildLine line : lines) {
        rows.row(line.buildId(), line.entry());
      }
      rows.send();
      return copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private void row(String buildId, LogEntry entry) throws SQLException {
    text(buildId);
    tab();
    ascii(Integer.toString(entry.attempt()));
    tab();
    ascii(Long.toString(entry.seq()));
    tab();
    ascii(entry.ts().toString());
    tab();
    text(entry.stream());
    tab();
    if (entry.step() == null) {
      bytes(NULL);
    } else {
      ascii(Integer.toString(entry.step()));
    }
    tab();
    text(entry.text());
    put((byte) '\n');
    if (size >= FLUSH_AT) {
      send();
    }
  }

  private void text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    // Each byte becomes at most two; UTF-8 continuation bytes never look like ASCII.
    ensure(utf8.length * 2);
    for (byte b : utf8) {
      switch (b) {
        case '\\' -> escaped((byte) '\\');
        case '\t' -> escaped((byte) 't');
        case '\n' -> escaped((byte) 'n');
        case '\r' -> escaped((byte) 'r');
        default -> buffer[size++] = b;
      }
    }
  }

  private void escaped(byte letter) {
    buffer[size++] = '\\';
    buffer[size++] = letter;
  }

  private void ascii(String value) {
    ensure(value.length());
    for (int i = 0; i < value.length(); i++) {
      buffer[size++] = (byte) value.charAt(i);
    }
  }

  private void bytes(byte[] value) {
    ensure(value.length);
    System.arraycopy(value, 0, buffer, size, value.length);
    size += value.length;
  }

  private void tab() {
    put((byte) '\t');
  }

  private void put(byte b) {
    ensure(1);
    buffer[size++] = b;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      byte[] grown = new byte[Math.max(buffer.length * 2, size + more)];
      System.arraycopy(buffer, 0, grown, 0, size);
      buffer = grown;
    }
  }

  private void send() throws SQLException {
    if (size > 0) {
      copy.writeToCopy(buffer, 0, size);
      size = 0;
    }
  }
}
