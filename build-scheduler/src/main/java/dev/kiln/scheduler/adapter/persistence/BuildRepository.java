package dev.kiln.scheduler.adapter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.scheduler.domain.Build;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@code scheduler.builds}: every build and its state. All methods run in the caller's transaction.
 */
public final class BuildRepository {
  private static final ObjectMapper JSON = EventCodec.mapper();
  private static final String COLUMNS =
      "id, owner, spec, state, attempt, worker_id, worker_started_at, lease_expires_at,"
          + " cancel_requested, created_at, queued_at, assigned_at, started_at, finished_at";

  /** Adds a new build; returns false, changing nothing, when the id is already known. */
  public boolean insert(Connection connection, Build build) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into scheduler.builds ("
                + COLUMNS
                + ", platform, priority) values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?) on conflict (id) do nothing")) {
      insert.setString(1, build.id());
      insert.setString(2, build.owner());
      insert.setString(3, toJson(build.spec()));
      insert.setString(4, build.state().name());
      insert.setInt(5, build.attempt());
      insert.setString(6, build.workerId());
      insert.setTimestamp(7, timestamp(build.workerStartedAt()));
      insert.setTimestamp(8, timestamp(build.leaseExpiresAt()));
      insert.setBoolean(9, build.cancelRequested());
      insert.setTimestamp(10, timestamp(build.createdAt()));
      insert.setTimestamp(11, timestamp(build.queuedAt()));
      insert.setTimestamp(12, timestamp(build.assignedAt()));
      insert.setTimestamp(13, timestamp(build.startedAt()));
      insert.setTimestamp(14, timestamp(build.finishedAt()));
      Platform platform = build.platform();
      insert.setString(15, platform == null ? null : platform.toString());
      insert.setInt(16, build.spec().priority());
      return insert.executeUpdate() == 1;
    }
  }

  /**
   * Reads a build and locks its row until the transaction ends, so that moves of one build happen
   * one after the other, in the order their events are written.
   */
  public Optional<Build> lock(Connection connection, String id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select " + COLUMNS + " from scheduler.builds where id = ? for update")) {
      select.setString(1, id);
      List<Build> found = read(select);
      return found.stream().findFirst();
    }
  }

  /**
   * Locks up to {@code limit} queued builds, highest priority first, then oldest; rows another
   * transaction holds are skipped rather than waited for, so concurrent assigners share the queue.
   *
   * @param platforms only builds asking for one of these platforms, or for none, are taken
   */
  public List<Build> lockQueued(Connection connection, Collection<Platform> platforms, int limit)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select "
                + COLUMNS
                + " from scheduler.builds where state = 'QUEUED'"
                + " and (platform is null or platform = any(?))"
                + " order by priority desc, queued_at, id limit ? for update skip locked")) {
      select.setArray(
          1,
          connection.createArrayOf(
              "text", platforms.stream().map(Platform::toString).toArray(String[]::new)));
      select.setInt(2, limit);
      return read(select);
    }
  }

  /** Every build a worker holds now (ASSIGNED or RUNNING), without locking them. */
  public List<Build> active(Connection connection) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select "
                + COLUMNS
                + " from scheduler.builds where state in ('ASSIGNED', 'RUNNING') order by id")) {
      return read(select);
    }
  }

  /** Writes a build's state back; the caller holds its row lock. */
  public void update(Connection connection, Build build) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "update scheduler.builds set state = ?, attempt = ?, worker_id = ?,"
                + " worker_started_at = ?, lease_expires_at = ?, cancel_requested = ?,"
                + " queued_at = ?, assigned_at = ?, started_at = ?, finished_at = ? where id = ?")) {
      update.setString(1, build.state().name());
      update.setInt(2, build.attempt());
      update.setString(3, build.workerId());
      update.setTimestamp(4, timestamp(build.workerStartedAt()));
      update.setTimestamp(5, timestamp(build.leaseExpiresAt()));
      update.setBoolean(6, build.cancelRequested());
      update.setTimestamp(7, timestamp(build.queuedAt()));
      update.setTimestamp(8, timestamp(build.assignedAt()));
      update.setTimestamp(9, timestamp(build.startedAt()));
      update.setTimestamp(10, timestamp(build.finishedAt()));
      update.setString(11, build.id());
      if (update.executeUpdate() != 1) {
        throw new SQLException("build " + build.id() + " vanished while being updated");
      }
    }
  }

  /**
   * Moves the lease of the listed attempts to {@code until}, for those the worker really holds: a
   * worker can only extend its own current attempts.
   */
  public int extendLeases(
      Connection connection, String workerId, Collection<RunningAttempt> running, Instant until)
      throws SQLException {
    if (running.isEmpty()) {
      return 0;
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "update scheduler.builds b set lease_expires_at = ?"
                + " from unnest(?::text[], ?::int[]) as r(id, attempt)"
                + " where b.id = r.id and b.attempt = r.attempt and b.worker_id = ?"
                + " and b.state in ('ASSIGNED', 'RUNNING')")) {
      update.setTimestamp(1, timestamp(until));
      update.setArray(
          2,
          connection.createArrayOf(
              "text", running.stream().map(RunningAttempt::buildId).toArray(String[]::new)));
      update.setArray(
          3,
          connection.createArrayOf(
              "integer", running.stream().map(RunningAttempt::attempt).toArray(Integer[]::new)));
      update.setString(4, workerId);
      return update.executeUpdate();
    }
  }

  private static List<Build> read(PreparedStatement select) throws SQLException {
    List<Build> builds = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        builds.add(
            new Build(
                row.getString("id"),
                row.getString("owner"),
                fromJson(row.getString("spec")),
                BuildState.valueOf(row.getString("state")),
                row.getInt("attempt"),
                row.getString("worker_id"),
                instant(row, "worker_started_at"),
                instant(row, "lease_expires_at"),
                row.getBoolean("cancel_requested"),
                instant(row, "created_at"),
                instant(row, "queued_at"),
                instant(row, "assigned_at"),
                instant(row, "started_at"),
                instant(row, "finished_at")));
      }
    }
    return builds;
  }

  private static String toJson(BuildSpec spec) throws SQLException {
    try {
      return JSON.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot store the spec as JSON: " + e.getMessage(), e);
    }
  }

  private static BuildSpec fromJson(String json) throws SQLException {
    try {
      return JSON.readValue(json, BuildSpec.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored spec is not a valid build spec: " + e.getMessage(), e);
    }
  }

  static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  static Instant instant(ResultSet row, String column) throws SQLException {
    Timestamp value = row.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
