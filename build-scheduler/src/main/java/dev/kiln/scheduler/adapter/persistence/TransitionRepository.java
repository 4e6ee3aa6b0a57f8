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
