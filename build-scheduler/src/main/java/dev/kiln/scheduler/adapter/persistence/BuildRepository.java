package dev.kiln.scheduler.adapter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.scheduler.domain.Build;
import dev.kiln.scheduler.domain.FairShare;
import dev.kiln.scheduler.domain.StopRequest;
import dev.kiln.scheduler.domain.Worker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code scheduler.builds}: every build and its state. All methods run in the caller's transaction.
 */
public final class BuildRepository {
  private static final ObjectMapper JSON = EventCodec.mapper();
  private static final String COLUMNS =
      "id, owner, spec, state, attempt, worker_id, worker_started_at, lease_expires_at,"
          + " stop_reason, stop_requested_at, created_at, queued_at, waiting_since, assigned_at,"
          + " started_at, finished_at";

  /**
   * The queue's head as fair share sees it: the builds to lock for a round of assignment, and what
   * their owners hold of the farm now.
   *
   * @param ids the builds, in no particular order
   * @param loads per owner of those builds
   */
  public record QueueHead(List<String> ids, Map<String, FairShare.OwnerLoad> loads) {}

  /** Adds a new build; returns false, changing nothing, when the id is already known. */
  public boolean insert(Connection connection, Build build) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into scheduler.builds ("
                + COLUMNS
                + ", platform, priority, worker_labels, source_key) values (?, ?, ?::jsonb, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (id) do"
                + " nothing")) {
      int next = bind(insert, build);
      Platform platform = build.platform();
      insert.setString(next++, platform == null ? null : platform.toString());
      insert.setInt(next++, build.spec().priority());
      insert.setString(next++, toJson(build.workerLabels()));
      insert.setString(next, build.sourceKey().value());
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
      return read(select).stream().findFirst();
    }
  }

  /**
   * Picks the queued builds fair share would offer slots to first, without locking them: each
   * owner's builds ranked by effective priority (priority plus one per {@code aging} waited), then
   * interleaved across owners by the owner's running builds plus that rank, so that the first
   * {@code limit} hold every owner's turn. {@link FairShare} orders them exactly; this only has to
   * pick the same set.
   *
   * @param open the workers with a free slot; only builds one of them may run are picked
   * @param passedOver builds not to pick, such as those another transaction holds
   */
  public QueueHead queueHead(
      Connection connection,
      Collection<Worker> open,
      Instant now,
      Duration aging,
      int limit,
      Collection<String> passedOver)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            // The open workers' profiles are read once; a build that names no platform and no
            // labels fits any of them without looking.
            "with profiles as materialized (select p->>'platform' as platform,"
                + " p->'labels' as labels from jsonb_array_elements(?::jsonb) p),"
                + " active as (select owner, count(*) as n from scheduler.builds"
                + " where state in ('ASSIGNED', 'RUNNING') group by owner),"
                + " queue as (select b.id, b.owner, row_number() over (partition by b.owner"
                + " order by b.priority + floor(extract(epoch from (?::timestamptz - b.queued_at))"
                + " / ?) desc, b.queued_at, b.id) as turn from scheduler.builds b"
                + " where b.state = 'QUEUED' and b.id <> all(?)"
                + " and ((b.platform is null and b.worker_labels = '{}'::jsonb)"
                + " or exists (select 1 from profiles p"
                + " where (b.platform is null or b.platform = p.platform)"
                + " and b.worker_labels <@ p.labels)))"
                + " select q.id, q.owner, coalesce(a.n, 0) as active, o.last_served_at"
                + " from queue q left join active a on a.owner = q.owner"
                + " left join scheduler.owners o on o.owner = q.owner"
                + " order by coalesce(a.n, 0) + q.turn, o.last_served_at nulls first, q.owner,"
                + " q.turn limit ?")) {
      select.setString(1, profiles(open));
      select.setTimestamp(2, timestamp(now));
      select.setDouble(3, aging.toMillis() / 1000.0);
      select.setArray(4, connection.createArrayOf("text", passedOver.toArray()));
      select.setInt(5, limit);
      List<String> ids = new ArrayList<>();
      Map<String, FairShare.OwnerLoad> loads = new HashMap<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          ids.add(row.getString("id"));
          String owner = row.getString("owner");
          loads.putIfAbsent(
              owner,
              new FairShare.OwnerLoad(owner, row.getInt("active"), instant(row, "last_served_at")));
        }
      }
      return new QueueHead(ids, loads);
    }
  }

  /**
   * Locks those of the given builds that are still queued; rows another transaction holds are
   * skipped rather than waited for, so concurrent assigners share the queue.
   */
  public List<Build> lockQueued(Connection connection, Collection<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement select =
        connection.prepareStatement(
            "select "
                + COLUMNS
                + " from scheduler.builds where id = any(?) and state = 'QUEUED'"
                + " for update skip locked")) {
      select.setArray(1, connection.createArrayOf("text", ids.toArray()));
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

  /** Up to {@code limit} builds queued since before {@code before}, without locking them. */
  public List<Build> queuedSince(Connection connection, Instant before, int limit)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select "
                + COLUMNS
                + " from scheduler.builds where state = 'QUEUED' and waiting_since < ?"
                + " order by waiting_since limit ?")) {
      select.setTimestamp(1, timestamp(before));
      select.setInt(2, limit);
      return read(select);
    }
  }

  /** Writes a build's state back; the caller holds its row lock. */
  public void update(Connection connection, Build build) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "update scheduler.builds set state = ?, attempt = ?, worker_id = ?,"
                + " worker_started_at = ?, lease_expires_at = ?, stop_reason = ?,"
                + " stop_requested_at = ?, queued_at = ?, waiting_since = ?, assigned_at = ?,"
                + " started_at = ?, finished_at = ? where id = ?")) {
      update.setString(1, build.state().name());
      update.setInt(2, build.attempt());
      update.setString(3, build.workerId());
      update.setTimestamp(4, timestamp(build.workerStartedAt()));
      update.setTimestamp(5, timestamp(build.leaseExpiresAt()));
      StopRequest stop = build.stop();
      update.setString(6, stop == null ? null : stop.reason().name());
      update.setTimestamp(7, stop == null ? null : timestamp(stop.at()));
      update.setTimestamp(8, timestamp(build.queuedAt()));
      update.setTimestamp(9, timestamp(build.waitingSince()));
      update.setTimestamp(10, timestamp(build.assignedAt()));
      update.setTimestamp(11, timestamp(build.startedAt()));
      update.setTimestamp(12, timestamp(build.finishedAt()));
      update.setString(13, build.id());
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

  private static int bind(PreparedStatement insert, Build build) throws SQLException {
    insert.setString(1, build.id());
    insert.setString(2, build.owner());
    insert.setString(3, toJson(build.spec()));
    insert.setString(4, build.state().name());
    insert.setInt(5, build.attempt());
    insert.setString(6, build.workerId());
    insert.setTimestamp(7, timestamp(build.workerStartedAt()));
    insert.setTimestamp(8, timestamp(build.leaseExpiresAt()));
    StopRequest stop = build.stop();
    insert.setString(9, stop == null ? null : stop.reason().name());
    insert.setTimestamp(10, stop == null ? null : timestamp(stop.at()));
    insert.setTimestamp(11, timestamp(build.createdAt()));
    insert.setTimestamp(12, timestamp(build.queuedAt()));
    insert.setTimestamp(13, timestamp(build.waitingSince()));
    insert.setTimestamp(14, timestamp(build.assignedAt()));
    insert.setTimestamp(15, timestamp(build.startedAt()));
    insert.setTimestamp(16, timestamp(build.finishedAt()));
    return 17;
  }

  private static List<Build> read(PreparedStatement select) throws SQLException {
    List<Build> builds = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        String stopReason = row.getString("stop_reason");
        StopRequest stop =
            stopReason == null
                ? null
                : new StopRequest(
                    CancelReason.valueOf(stopReason), instant(row, "stop_requested_at"));
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
                stop,
                instant(row, "created_at"),
                instant(row, "queued_at"),
                instant(row, "waiting_since"),
                instant(row, "assigned_at"),
                instant(row, "started_at"),
                instant(row, "finished_at")));
      }
    }
    return builds;
  }

  /**
   * The distinct platforms and label sets of the given workers, as a JSON array of {@code
   * {"platform": …, "labels": {…}}} for the queue's filter.
   */
  private static String profiles(Collection<Worker> workers) throws SQLException {
    Set<Map<String, Object>> profiles = new LinkedHashSet<>();
    for (Worker worker : workers) {
      profiles.add(Map.of("platform", worker.platform().toString(), "labels", worker.labels()));
    }
    return toJson(profiles);
  }

  private static String toJson(Object value) throws SQLException {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot store as JSON: " + e.getMessage(), e);
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
