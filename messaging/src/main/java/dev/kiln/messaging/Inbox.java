package dev.kiln.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Remembers which events a consumer already applied, inside the transaction that applies them, so
 * that a redelivered event changes nothing. The table needs {@code event_id uuid primary key}.
 */
public final class Inbox {
  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
  private final String insert;

  /**
   * @param table the schema-qualified table, such as {@code scheduler.inbox}
   */
  public Inbox(String table) {
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("inbox table must be schema.table, not " + table);
    }
    this.insert = "insert into " + table + " (event_id) values (?) on conflict do nothing";
  }

  /** Records the event; returns false when it was recorded before (a redelivery). */
  public boolean firstDelivery(Connection connection, UUID eventId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setObject(1, eventId);
      return statement.executeUpdate() == 1;
    }
  }
}
