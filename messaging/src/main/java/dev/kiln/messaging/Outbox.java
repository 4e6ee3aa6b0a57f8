package dev.kiln.messaging;

import dev.kiln.contracts.Topics;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.EventCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Events written in the same database transaction as the state they announce. The {@link
 * OutboxRelay} publishes them after the commit, so an event exists exactly when its state change
 * does.
 *
 * <p>The table needs the columns {@code id bigserial primary key, topic text, record_key text,
 * payload bytea}.
 */
public final class Outbox {
  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
  private final String insert;
  private final String table;

  /**
   * @param table the schema-qualified table, such as {@code gateway.outbox}
   */
  public Outbox(String table) {
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("outbox table must be schema.table, not " + table);
    }
    this.table = table;
    this.insert = "insert into " + table + " (topic, record_key, payload) values (?, ?, ?)";
  }

  /** Adds an event inside the caller's open transaction. */
  public void append(Connection connection, Envelope envelope) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setString(1, Topics.of(envelope.payload()));
      statement.setString(2, envelope.key());
      statement.setBytes(3, EventCodec.encode(envelope));
      statement.executeUpdate();
    }
  }

  /**
   * Adds events inside the caller's open transaction, in list order, in one round trip to the
   * database.
   */
  public void appendAll(Connection connection, List<Envelope> envelopes) throws SQLException {
    if (envelopes.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      for (Envelope envelope : envelopes) {
        statement.setString(1, Topics.of(envelope.payload()));
        statement.setString(2, envelope.key());
        statement.setBytes(3, EventCodec.encode(envelope));
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  String table() {
    return table;
  }
}
