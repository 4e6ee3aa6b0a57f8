package dev.kiln.logs.adapter.persistence;

import dev.kiln.logs.domain.LogBatch;
import dev.kiln.logs.domain.LogEntry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.postgresql.copy.CopyIn;

/**
 * Writes log lines as the rows of a {@code COPY … FROM STDIN WITH (FORMAT binary)}: no escaping and
 * no parsing of numbers or times on either side, which makes it the cheapest way into PostgreSQL.
 * The rows are encoded into a buffer that goes to the server whenever it fills, so a batch is never
 * held twice in memory.
 *
 * <p>The format: a signature, flags and header extension length; per row the number of columns,
 * then each column as its length (-1 for null) and its bytes in network order (text as UTF-8,
 * {@code int4}, {@code int8}, {@code timestamptz} as microseconds since 2000-01-01 UTC); a final
 * -1.
 */
final class CopyRows {
  /** The columns every row has, in this order. */
  static final String COLUMNS = "(build_id, attempt, seq, ts, stream, step, text)";

  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };
  private static final short COLUMN_COUNT = 7;
  private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;
  private static final int FLUSH_AT = 256 * 1024;

  private final CopyIn copy;
  private byte[] buffer = new byte[FLUSH_AT + 1024];
  private int size;
  private String lastBuildId;
  private byte[] lastBuildIdBytes;

  private CopyRows(CopyIn copy) {
    this.copy = copy;
  }

  /**
   * Copies every line into the table the {@code copy} was opened on, with {@link #COLUMNS} in
   * binary format, and ends the copy.
   *
   * @return the rows the server took
   */
  static long copy(CopyIn copy, List<LogBatch.BuildLine> lines) throws SQLException {
    CopyRows rows = new CopyRows(copy);
    try {
      rows.bytes(SIGNATURE);
      rows.int32(0);
      rows.int32(0);
      for (LogBatch.BuildLine line : lines) {
        rows.row(line.buildId(), line.entry());
      }
      rows.int16((short) -1);
      rows.send();
      return copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private void row(String buildId, LogEntry entry) throws SQLException {
    int16(COLUMN_COUNT);
    // The lines of a batch come in runs of one build.
    if (!buildId.equals(lastBuildId)) {
      lastBuildId = buildId;
      lastBuildIdBytes = buildId.getBytes(StandardCharsets.UTF_8);
    }
    field(lastBuildIdBytes);
    int32(4);
    int32(entry.attempt());
    int32(8);
    int64(entry.seq());
    int32(8);
    int64(postgresMicros(entry.ts()));
    field(entry.stream().getBytes(StandardCharsets.UTF_8));
    if (entry.step() == null) {
      int32(-1);
    } else {
      int32(4);
      int32(entry.step());
    }
    field(entry.text().getBytes(StandardCharsets.UTF_8));
    if (size >= FLUSH_AT) {
      send();
    }
  }

  private static long postgresMicros(Instant ts) {
    return (ts.getEpochSecond() - POSTGRES_EPOCH_SECOND) * 1_000_000L + ts.getNano() / 1_000;
  }

  private void field(byte[] value) {
    int32(value.length);
    bytes(value);
  }

  private void bytes(byte[] value) {
    ensure(value.length);
    System.arraycopy(value, 0, buffer, size, value.length);
    size += value.length;
  }

  private void int16(short value) {
    ensure(2);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
  }

  private void int32(int value) {
    ensure(4);
    buffer[size++] = (byte) (value >>> 24);
    buffer[size++] = (byte) (value >>> 16);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
  }

  private void int64(long value) {
    int32((int) (value >>> 32));
    int32((int) value);
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
