package dev.kiln.scheduler.app;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes held back until the end of a transaction so that they reach the database in one round
 * trip; {@link Transactor} writes them just before it commits and drops them when it rolls back.
 */
public interface PendingWrites {
  /** Writes what is pending on the connection now, inside its transaction. */
  void flush(Connection connection) throws SQLException;

  /** Drops what is pending on the connection, whose transaction (or savepoint) was rolled back. */
  void discard(Connection connection);
}
