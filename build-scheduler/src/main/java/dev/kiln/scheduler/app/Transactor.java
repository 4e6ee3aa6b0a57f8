package dev.kiln.scheduler.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Runs work in one JDBC transaction on a connection of its own: writes what the work left pending
 * just before the commit, and tells a listener after every commit (the outbox relay, so that the
 * events just written go out at once).
 */
public final class Transactor {
  /** Work done inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;
  private final PendingWrites pending;
  private final Runnable afterCommit;

  /**
   * @param pending written before each commit, dropped on each rollback
   * @param afterCommit called after each successful commit
   */
  public Transactor(DataSource dataSource, PendingWrites pending, Runnable afterCommit) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.pending = Objects.requireNonNull(pending, "pending");
    this.afterCommit = Objects.requireNonNull(afterCommit, "afterCommit");
  }

  /**
   * Commits what {@code work} wrote when it returns, rolls it back when it throws.
   *
   * @throws StoreUnavailableException when the database failed
   */
  public <T> T inTransaction(Work<T> work) {
    T result;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        result = work.run(connection);
        pending.flush(connection);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        pending.discard(connection);
        rollback(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException(e);
    }
    afterCommit.run();
    return result;
  }

  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
