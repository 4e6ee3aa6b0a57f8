package dev.kiln.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Remembers which events a consumer already applied, inside the transaction that applies them, so
 * that a redelivered event changes nothing. The table needs {@code event_id uuid primary key}.
 */
public final class Inbox {
  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
  private final String insert;
  private final String insertAll;

  /**
   * @param table the schema-qualified table, such as {@code scheduler.inbox}
   */
  public Inbox(String table) {
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("inbox table must be schema.table, not " + table);
    }
    this.insert = "insert into " + table + " (event_id) values (?) on conflict do nothing";
    this.insertAll =
        "insert into "
            + table
            + " (event_id) select unnest(?::uuid[]) on conflict do nothing returning event_id";
  }

  /**
   * Records several events in one round trip to the database.
   *
   * @return the ids recorded now; those missing were recorded before (redeliveries)
   */
  public Set<UUID> firstDeliveries(Connection connection, Collection<UUID> eventIds)
      throws SQLException {
    Set<UUID> first = new HashSet<>();
    if (eventIds.isEmpty()) {
      return first;
    }
    try (PreparedStatement statement = connection.prepareStatement(insertAll)) {
      statement.setArray(1, connection.createArrayOf("uuid", eventIds.toArray()));
      try (ResultSet recorded = statement.executeQuery()) {
        while (recorded.next()) {
          first.add(recorded.getObject(1, UUID.class));
        }
      }
    }
    return first;
  }

  /** Records the event; returns false when it was recorded before (a redelivery). */
  public boolean firstDelivery(Connection connection, UUID eventId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setObject(1, eventId);
      return statement.executeUpdate() == 1;
    }
  }
}
