package dev.kiln.gateway.adapter.persistence;

import dev.kiln.gateway.app.Failures;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs JDBC work in one transaction; any database failure becomes {@link
 * Failures.StorageUnavailable}.
 */
@ApplicationScoped
public class Transactions {
  /** Work done on a connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;

  public Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Commits what {@code work} did, or rolls all of it back.
   *
   * @param failure says what could not be done, in the error a caller sees
   */
  public <T> T run(String failure, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new Failures.StorageUnavailable(
          failure + ": the database failed (" + e.getMessage() + ")", e);
    }
  }

  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
