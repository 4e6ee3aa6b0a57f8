package dev.kiln.scheduler.adapter.persistence;

import static dev.kiln.scheduler.adapter.persistence.BuildRepository.timestamp;

import dev.kiln.contracts.BuildState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** {@code scheduler.transitions}: the history of every move, for operators and checks. */
public final class TransitionRepository {
  /**
   * Adds one move in the caller's transaction.
   *
   * @param from the state before, {@code null} for the first entry of a build
   */
  public void append(
      Connection connection,
      String buildId,
      int attempt,
      BuildState from,
      BuildState to,
      String reason,
      String workerId,
      Instant at)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into scheduler.transitions (build_id, attempt, from_state, to_state, reason,"
                + " worker_id, at) values (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, buildId);
      insert.setInt(2, attempt);
      insert.setString(3, from == null ? null : from.name());
      insert.setString(4, to.name());
      insert.setString(5, reason);
      insert.setString(6, workerId);
      insert.setTimestamp(7, timestamp(at));
      insert.executeUpdate();
    }
  }
}
