package dev.kiln.scheduler.adapter.persistence;

import static dev.kiln.scheduler.adapter.persistence.BuildRepository.instant;
import static dev.kiln.scheduler.adapter.persistence.BuildRepository.timestamp;

import dev.kiln.contracts.BuildState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code scheduler.transitions}: the history of every move, for operators and checks. */
public final class TransitionRepository {
  /**
   * One move as the history keeps it.
   *
   * @param attempt the attempt after the move
   * @param from the state before, {@code null} for a build's first entry
   * @param to the state after
   * @param reason why
   * @param workerId the worker of the attempt, when it had one
   * @param at when
   */
  public record Transition(
      int attempt, BuildState from, BuildState to, String reason, String workerId, Instant at) {}

  /** A build's moves in the order they were written; empty for an unknown build. */
  public List<Transition> of(Connection connection, String buildId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select attempt, from_state, to_state, reason, worker_id, at"
                + " from scheduler.transitions where build_id = ? order by id")) {
      select.setString(1, buildId);
      List<Transition> moves = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          String from = row.getString("from_state");
          moves.add(
              new Transition(
                  row.getInt("attempt"),
                  from == null ? null : BuildState.valueOf(from),
                  BuildState.valueOf(row.getString("to_state")),
                  row.getString("reason"),
                  row.getString("worker_id"),
                  instant(row, "at")));
        }
      }
      return moves;
    }
  }

  /**
   * One move to write.
   *
   * @param buildId the build
   * @param attempt the attempt after the move
   * @param from the state before, {@code null} for the first entry of a build
   * @param to the state after
   * @param reason why
   * @param workerId the worker of the attempt, when it had one
   * @param at when
   */
  public record Entry(
      String buildId,
      int attempt,
      BuildState from,
      BuildState to,
      String reason,
      String workerId,
      Instant at) {}

  /** Adds moves in the caller's transaction, in list order, in one round trip. */
  public void appendAll(Connection connection, List<Entry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into scheduler.transitions (build_id, attempt, from_state, to_state, reason,"
                + " worker_id, at) values (?, ?, ?, ?, ?, ?, ?)")) {
      for (Entry entry : entries) {
        insert.setString(1, entry.buildId());
        insert.setInt(2, entry.attempt());
        insert.setString(3, entry.from() == null ? null : entry.from().name());
        insert.setString(4, entry.to().name());
        insert.setString(5, entry.reason());
        insert.setString(6, entry.workerId());
        insert.setTimestamp(7, timestamp(entry.at()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
