package dev.kiln.scheduler.adapter.persistence;

import static dev.kiln.scheduler.adapter.persistence.BuildRepository.timestamp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.TreeSet;

/** {@code scheduler.owners}: when each owner last had a build assigned, for fair share. */
public final class OwnerRepository {
  /**
   * Records that the owners were served at {@code at}, in the caller's transaction. Rows are
   * written in the order of the owners' names, so two assigners never wait on each other in a
   * cycle.
   */
  public void served(Connection connection, Collection<String> owners, Instant at)
      throws SQLException {
    if (owners.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "insert into scheduler.owners (owner, last_served_at) values (?, ?)"
                + " on conflict (owner) do update set last_served_at ="
                + " greatest(scheduler.owners.last_served_at, excluded.last_served_at)")) {
      for (String owner : new TreeSet<>(owners)) {
        upsert.setString(1, owner);
        upsert.setTimestamp(2, timestamp(at));
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }
}
