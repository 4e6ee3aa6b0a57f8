package dev.kiln.logs.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildIds;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class LogRetentionTest {
  private static final Instant NOW = Instant.now();
  private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));
  private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(40));

  @Inject LogRetention retention;
  @Inject DataSource dataSource;

  @Test
  void theLogsOfBuildsThatEndedBeforeTheCutoffGoAndEveryOtherLogStays() throws Exception {
    String endedLongAgo = build("SUCCEEDED", true, LONG_AGO);
    String endedRecently = build("FAILED", true, NOW.minus(Duration.ofDays(1)));
    String runningForLong = build("RUNNING", false, LONG_AGO);
    String withoutStatusLongAgo = lines(LONG_AGO);
    String withoutStatusRecently = lines(NOW);

    long deleted = retention.deleteEndedBefore(CUTOFF);

    assertThat(deleted).isGreaterThanOrEqualTo(2);
    for (String gone : List.of(endedLongAgo, withoutStatusLongAgo)) {
      assertThat(rows(gone)).as(gone).containsExactly(0L, 0L, 0L, 0L);
    }
    assertThat(rows(endedRecently)).containsExactly(2L, 1L, 1L, 1L);
    assertThat(rows(runningForLong)).containsExactly(2L, 1L, 1L, 1L);
    assertThat(rows(withoutStatusRecently)).containsExactly(2L, 0L, 1L, 0L);
    assertThat(retention.deleteEndedBefore(CUTOFF)).as("a second run finds nothing").isZero();
  }

  /** A build with two lines, a step and its newest status, last changed at {@code at}. */
  private String build(String status, boolean finished, Instant at) throws Exception {
    String id = lines(at);
    execute(
        "insert into logs.steps (build_id, attempt, step, event, stage, stages, step_index, total,"
            + " instruction, seq) values (?, 1, 1, 'started', 1, 1, 1, 1, 'FROM scratch', 1)",
        id);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "insert into logs.builds (build_id, status, attempt, progress, finished,"
                    + " updated_at) values (?, ?, 1, 3, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, status);
      insert.setBoolean(3, finished);
      insert.setTimestamp(4, Timestamp.from(at));
      insert.executeUpdate();
    }
    return id;
  }

  /** Two lines of attempt 1 of a new build, stored at {@code at}. */
  private String lines(Instant at) throws Exception {
    String id = BuildIds.newId();
    for (int seq = 1; seq <= 2; seq++) {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement insert =
              connection.prepareStatement(
                  "insert into logs.log_lines (build_id, attempt, seq, ts, stream, text)"
                      + " values (?, 1, ?, ?, 'stdout', 'line')")) {
        insert.setString(1, id);
        insert.setLong(2, seq);
        insert.setTimestamp(3, Timestamp.from(at));
        insert.executeUpdate();
      }
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "insert into logs.attempts (build_id, attempt, line_count, updated_at)"
                    + " values (?, 1, 2, ?)")) {
      insert.setString(1, id);
      insert.setTimestamp(2, Timestamp.from(at));
      insert.executeUpdate();
    }
    return id;
  }

  private void execute(String sql, String buildId) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, buildId);
      statement.executeUpdate();
    }
  }

  /** The rows the build has in log_lines, steps, attempts and builds. */
  private List<Long> rows(String buildId) throws Exception {
    List<Long> counts = new ArrayList<>();
    for (String table : List.of("logs.log_lines", "logs.steps", "logs.attempts", "logs.builds")) {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement count =
              connection.prepareStatement(
                  "select count(*) from " + table + " where build_id = ?")) {
        count.setString(1, buildId);
        try (ResultSet row = count.executeQuery()) {
          row.next();
          counts.add(row.getLong(1));
        }
      }
    }
    return counts;
  }
}
