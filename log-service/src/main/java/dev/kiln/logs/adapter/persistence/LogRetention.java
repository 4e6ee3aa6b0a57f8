package dev.kiln.logs.adapter.persistence;

import dev.kiln.logs.config.LogServiceConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Deletes the logs of builds that ended longer ago than {@code kiln.logs.retention}: their lines,
 * steps, attempts and status, a few hundred builds per transaction. A build that has not ended
 * keeps its log however old it is. Lines whose build never got a status go once their newest line
 * is that old. Several log-service instances may run it at once: a build deleted twice is deleted
 * once.
 */
@ApplicationScoped
public class LogRetention {
  private static final Logger LOG = Logger.getLogger(LogRetention.class);
  private static final int BATCH = 500;
  private static final String SELECT_ENDED =
      "select build_id from logs.builds where finished and updated_at < ? limit ?";
  private static final String SELECT_WITHOUT_STATUS =
      "select distinct a.build_id from logs.attempts a where a.updated_at < ?"
          + " and not exists (select 1 from logs.builds b where b.build_id = a.build_id)"
          + " limit ?";
  private static final List<String> TABLES =
      List.of("logs.log_lines", "logs.steps", "logs.attempts", "logs.builds");

  private final DataSource dataSource;
  private final LogServiceConfig config;
  private final Clock clock;

  LogRetention(DataSource dataSource, LogServiceConfig config) {
    this.dataSource = dataSource;
    this.config = config;
    this.clock = Clock.systemUTC();
  }

  @Scheduled(
      every = "${kiln.logs.retention-check-interval:1h}",
      delayed = "${kiln.logs.retention-check-interval:1h}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void deleteExpired() {
    Instant cutoff = clock.instant().minus(config.retention());
    try {
      long deleted = deleteEndedBefore(cutoff);
      if (deleted > 0) {
        LOG.infof("deleted the logs of %d builds that ended before %s", deleted, cutoff);
      }
    } catch (SQLException e) {
      LOG.warnf("deleting logs older than %s failed; trying again later: %s", cutoff, e);
    }
  }

  /**
   * Deletes the logs of the builds that ended before {@code cutoff}, and of lines without a status
   * last stored before it.
   *
   * @return how many builds' logs were deleted
   */
  public long deleteEndedBefore(Instant cutoff) throws SQLException {
    long deleted = 0;
    for (String select : List.of(SELECT_ENDED, SELECT_WITHOUT_STATUS)) {
      while (true) {
        int batch = deleteBatch(select, cutoff);
        deleted += batch;
        if (batch < BATCH) {
          break;
        }
      }
    }
    return deleted;
  }

  private int deleteBatch(String select, Instant cutoff) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        List<String> builds = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(select)) {
          query.setTimestamp(1, Timestamp.from(cutoff));
          query.setInt(2, BATCH);
          try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              builds.add(rows.getString(1));
            }
          }
        }
        if (!builds.isEmpty()) {
          Array ids = connection.createArrayOf("text", builds.toArray());
          for (String table : TABLES) {
            try (PreparedStatement delete =
                connection.prepareStatement("delete from " + table + " where build_id = any(?)")) {
              delete.setArray(1, ids);
              delete.executeUpdate();
            }
          }
        }
        connection.commit();
        return builds.size();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    }
  }
}
