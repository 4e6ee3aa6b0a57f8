package dev.kiln.scheduler.adapter.persistence;

import static dev.kiln.scheduler.adapter.persistence.BuildRepository.timestamp;

import dev.kiln.scheduler.domain.SourceKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** {@code scheduler.affinity}: the worker that last built each source successfully. */
public final class AffinityRepository {
  /** Records that {@code workerId} built the source at {@code at}, in the caller's transaction. */
  public void built(Connection connection, SourceKey source, String workerId, Instant at)
      throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "insert into scheduler.affinity (source_key, worker_id, built_at) values (?, ?, ?)"
                + " on conflict (source_key) do update set worker_id = excluded.worker_id,"
                + " built_at = excluded.built_at"
                + " where scheduler.affinity.built_at <= excluded.built_at")) {
      upsert.setString(1, source.value());
      upsert.setString(2, workerId);
      upsert.setTimestamp(3, timestamp(at));
      upsert.executeUpdate();
    }
  }

  /** The worker that last built each of the sources, for those some worker built. */
  public Map<SourceKey, String> preferredWorkers(
      Connection connection, Collection<SourceKey> sources) throws SQLException {
    Map<SourceKey, String> preferred = new HashMap<>();
    if (sources.isEmpty()) {
      return preferred;
    }
    try (PreparedStatement select =
        connection.prepareStatement(
            "select source_key, worker_id from scheduler.affinity where source_key = any(?)")) {
      select.setArray(
          1,
          connection.createArrayOf(
              "text", sources.stream().map(SourceKey::value).distinct().toArray()));
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          preferred.put(new SourceKey(row.getString(1)), row.getString(2));
        }
      }
    }
    return preferred;
  }
}
