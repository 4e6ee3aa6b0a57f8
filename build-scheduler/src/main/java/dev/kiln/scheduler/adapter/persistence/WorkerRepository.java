package dev.kiln.scheduler.adapter.persistence;

import static dev.kiln.scheduler.adapter.persistence.BuildRepository.instant;
import static dev.kiln.scheduler.adapter.persistence.BuildRepository.timestamp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.contracts.events.WorkerHeartbeat;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.scheduler.domain.Worker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code scheduler.workers}: the worker registry. A worker's busy slots are always counted from
 * {@code scheduler.builds}, the scheduler's own record of what it gave out.
 */
public final class WorkerRepository {
  private static final ObjectMapper JSON = EventCodec.mapper();

  /**
   * The first key of the workers' assignment locks (the second is the hash of the worker id); two
   * workers whose ids hash alike share a lock, which only makes an assigner skip one of them once.
   */
  private static final int ASSIGNMENT_LOCKS = 0x6b696c6e;

  private static final String SELECT =
      "select w.id, w.platform, w.labels, w.slots_total, w.started_at, w.last_seen, w.stopping,"
          + " w.running, coalesce(b.busy, 0) as busy from scheduler.workers w"
          + " left join (select worker_id, count(*) as busy from scheduler.builds"
          + " where state in ('ASSIGNED', 'RUNNING') group by worker_id) b on b.worker_id = w.id";

  /**
   * Records a heartbeat. One that is not newer than the last applied heartbeat of the same worker
   * (a redelivery, or one overtaken by a later one) changes nothing.
   *
   * @param sentAt when the worker sent it
   * @return whether it was applied
   */
  public boolean record(
      Connection connection, WorkerHeartbeat heartbeat, Instant sentAt, Instant now)
      throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "insert into scheduler.workers (id, platform, labels, slots_total,"
                + " slots_free_reported, running, started_at, stopping, heartbeat_at, first_seen,"
                + " last_seen) values (?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)"
                + " on conflict (id) do update set platform = excluded.platform,"
                + " labels = excluded.labels, slots_total = excluded.slots_total,"
                + " slots_free_reported = excluded.slots_free_reported,"
                + " running = excluded.running, started_at = excluded.started_at,"
                + " stopping = excluded.stopping, heartbeat_at = excluded.heartbeat_at,"
                + " last_seen = excluded.last_seen"
                + " where scheduler.workers.heartbeat_at < excluded.heartbeat_at")) {
      upsert.setString(1, heartbeat.workerId());
      upsert.setString(2, heartbeat.platform().toString());
      upsert.setString(3, toJson(heartbeat.labels()));
      upsert.setInt(4, heartbeat.slotsTotal());
      upsert.setInt(5, heartbeat.slotsFree());
      upsert.setString(6, toJson(heartbeat.running()));
      upsert.setTimestamp(7, timestamp(heartbeat.startedAt()));
      upsert.setBoolean(8, heartbeat.stopping());
      upsert.setTimestamp(9, timestamp(sentAt));
      upsert.setTimestamp(10, timestamp(now));
      upsert.setTimestamp(11, timestamp(now));
      return upsert.executeUpdate() == 1;
    }
  }

  /** Every known worker, with its busy slots, ordered by id. */
  public List<Worker> all(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT + " order by w.id")) {
      return read(select);
    }
  }

  /** One worker, with its busy slots, without locking it. */
  public Optional<Worker> find(Connection connection, String id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT + " where w.id = ?")) {
      select.setString(1, id);
      return read(select).stream().findFirst();
    }
  }

  /**
   * Takes the assignment locks of the given workers until the transaction ends, and counts their
   * busy slots afresh. A worker whose lock another transaction holds is left out, rather than
   * waited for, so two assigners never wait on each other in a cycle.
   *
   * <p>The lock is a transaction-level advisory lock on the worker's id, not its row, so that
   * heartbeats, which update the row, never wait for an assignment round.
   *
   * @return the workers locked, by id
   */
  public Map<String, Worker> lockForAssignment(Connection connection, Collection<String> ids)
      throws SQLException {
    List<String> locked = new ArrayList<>();
    try (PreparedStatement lock =
        connection.prepareStatement(
            "select w.id from unnest(?::text[]) as w(id)"
                + " where pg_try_advisory_xact_lock(?, hashtext(w.id))")) {
      lock.setArray(1, connection.createArrayOf("text", ids.toArray()));
      lock.setInt(2, ASSIGNMENT_LOCKS);
      try (ResultSet row = lock.executeQuery()) {
        while (row.next()) {
          locked.add(row.getString(1));
        }
      }
    }
    Map<String, Worker> fresh = new HashMap<>();
    if (locked.isEmpty()) {
      return fresh;
    }
    // A separate statement, so that its snapshot is taken after the locks were granted and sees
    // every assignment committed by the transactions that held them before.
    try (PreparedStatement select = connection.prepareStatement(SELECT + " where w.id = any(?)")) {
      select.setArray(1, connection.createArrayOf("text", locked.toArray()));
      for (Worker worker : read(select)) {
        fresh.put(worker.id(), worker);
      }
    }
    return fresh;
  }

  private static List<Worker> read(PreparedStatement select) throws SQLException {
    List<Worker> workers = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        workers.add(
            new Worker(
                row.getString("id"),
                Platform.parse(row.getString("platform")),
                fromJson(row.getString("labels"), new TypeReference<Map<String, String>>() {}),
                row.getInt("slots_total"),
                row.getInt("busy"),
                instant(row, "started_at"),
                instant(row, "last_seen"),
                row.getBoolean("stopping"),
                fromJson(row.getString("running"), new TypeReference<Set<RunningAttempt>>() {})));
      }
    }
    return workers;
  }

  private static String toJson(Object value) throws SQLException {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot store as JSON: " + e.getMessage(), e);
    }
  }

  private static <T> T fromJson(String json, TypeReference<T> type) throws SQLException {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored worker JSON is not readable: " + e.getMessage(), e);
    }
  }
}
