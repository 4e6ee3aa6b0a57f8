package dev.kiln.logs.adapter.persistence;

import dev.kiln.logs.app.LogStoreException;
import dev.kiln.logs.app.LogWriter;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogBatch;
import dev.kiln.logs.domain.StepEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Stores polled batches of log events in the {@code logs} schema, one transaction per batch.
 *
 * <p>Lines go in with a binary {@code COPY} ({@link CopyRows}), straight into {@code log_lines}:
 * several times faster than multi-row INSERTs on the same server (see bench/README.md). A batch
 * read again after a crash or a rebalance holds lines that are stored already; COPY refuses the
 * whole batch then (unique violation), and the lines are copied into a temporary table instead and
 * moved over with {@code insert … on conflict do nothing}, which skips the repeats.
 */
@ApplicationScoped
public class LogBatchStore implements LogWriter {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COLUMNS = CopyRows.COLUMNS;
  private static final String COPY_LINES =
      "copy logs.log_lines " + COLUMNS + " from stdin with (format binary)";
  private static final String CREATE_STAGING =
      "create temporary table if not exists log_lines_staging (like logs.log_lines)"
          + " on commit delete rows";
  private static final String COPY_STAGING =
      "copy log_lines_staging " + COLUMNS + " from stdin with (format binary)";
  // The rows really inserted (repeats are skipped) are counted into their attempt.
  private static final String MOVE_STAGING =
      """
      with inserted as (
        insert into logs.log_lines %s
        select build_id, attempt, seq, ts, stream, step, text from log_lines_staging
        on conflict (build_id, attempt, seq) do nothing
        returning build_id, attempt)
      insert into logs.attempts (build_id, attempt, line_count, updated_at)
      select build_id, attempt, count(*), now() from inserted group by build_id, attempt
      on conflict (build_id, attempt) do update
        set line_count = logs.attempts.line_count + excluded.line_count,
          updated_at = excluded.updated_at
      """
          .formatted(COLUMNS);
  private static final String COUNT_LINES =
      """
      insert into logs.attempts (build_id, attempt, line_count, updated_at)
      select b, a, n, now() from unnest(?::text[], ?::int[], ?::bigint[]) as c(b, a, n)
      on conflict (build_id, attempt) do update
        set line_count = logs.attempts.line_count + excluded.line_count,
          updated_at = excluded.updated_at
      """;
  private static final String INSERT_FINAL =
      """
      insert into logs.attempts (build_id, attempt, last_seq, complete, updated_at)
      values (?, ?, ?, true, now())
      on conflict (build_id, attempt) do update set last_seq = excluded.last_seq, complete = true
      """;
  private static final String INSERT_STEP =
      """
      insert into logs.steps (build_id, attempt, step, event, stage, stages, step_index, total,
        instruction, dockerfile_line, cached, failed, duration_ms, layer, seq)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict (build_id, attempt, step, event) do nothing
      """;
  // A status replaces the stored one only when it is not older, so a repeat changes nothing.
  private static final String UPSERT_STATUS =
      """
      insert into logs.builds (build_id, status, from_status, attempt, progress, reason,
        worker_id, last_seq, finished, updated_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict (build_id) do update set status = excluded.status,
        from_status = excluded.from_status, attempt = excluded.attempt,
        progress = excluded.progress, reason = excluded.reason, worker_id = excluded.worker_id,
        last_seq = excluded.last_seq, finished = excluded.finished,
        updated_at = excluded.updated_at
      where excluded.attempt > logs.builds.attempt
        or (excluded.attempt = logs.builds.attempt
          and excluded.progress >= logs.builds.progress)
      """;

  private final DataSource dataSource;

  public LogBatchStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void store(LogBatch batch) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        insertLines(connection, batch.lines());
        insertFinals(connection, batch.finals());
        insertSteps(connection, batch.steps());
        upsertStatuses(connection, batch.statuses());
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new LogStoreException("cannot store a batch of log events: " + e.getMessage(), e);
    }
  }

  private static void insertLines(Connection connection, List<LogBatch.BuildLine> lines)
      throws SQLException {
    if (lines.isEmpty()) {
      return;
    }
    PGConnection postgres = connection.unwrap(PGConnection.class);
    Savepoint beforeCopy = connection.setSavepoint();
    try {
      CopyRows.copy(postgres.getCopyAPI().copyIn(COPY_LINES), lines);
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      connection.rollback(beforeCopy);
      insertSkippingRepeats(connection, postgres, lines);
      return;
    }
    connection.releaseSavepoint(beforeCopy);
    countLines(connection, lines);
  }

  private static void insertSkippingRepeats(
      Connection connection, PGConnection postgres, List<LogBatch.BuildLine> lines)
      throws SQLException {
    try (PreparedStatement create = connection.prepareStatement(CREATE_STAGING);
        PreparedStatement move = connection.prepareStatement(MOVE_STAGING)) {
      create.execute();
      CopyRows.copy(postgres.getCopyAPI().copyIn(COPY_STAGING), lines);
      move.executeUpdate();
    }
  }

  private static void countLines(Connection connection, List<LogBatch.BuildLine> lines)
      throws SQLException {
    Map<AttemptKey, Long> counts = new HashMap<>();
    // The lines of a batch come in runs of one attempt: count runs, not lines, in the map.
    AttemptKey run = null;
    long runLength = 0;
    for (LogBatch.BuildLine line : lines) {
      if (run == null
          || run.attempt() != line.entry().attempt()
          || !run.buildId().equals(line.buildId())) {
        if (run != null) {
          counts.merge(run, runLength, Long::sum);
        }
        run = new AttemptKey(line.buildId(), line.entry().attempt());
        runLength = 0;
      }
      runLength++;
    }
    counts.merge(run, runLength, Long::sum);
    // Sorted, so that two writers of the same attempts lock their rows in the same order.
    List<AttemptKey> keys = new ArrayList<>(counts.keySet());
    Collections.sort(keys);
    String[] builds = new String[keys.size()];
    Integer[] attempts = new Integer[keys.size()];
    Long[] added = new Long[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      builds[i] = keys.get(i).buildId();
      attempts[i] = keys.get(i).attempt();
      added[i] = counts.get(keys.get(i));
    }
    try (PreparedStatement insert = connection.prepareStatement(COUNT_LINES)) {
      insert.setArray(1, connection.createArrayOf("text", builds));
      insert.setArray(2, connection.createArrayOf("int4", attempts));
      insert.setArray(3, connection.createArrayOf("int8", added));
      insert.executeUpdate();
    }
  }

  private record AttemptKey(String buildId, int attempt) implements Comparable<AttemptKey> {
    @Override
    public int compareTo(AttemptKey other) {
      int byBuild = buildId.compareTo(other.buildId);
      return byBuild != 0 ? byBuild : Integer.compare(attempt, other.attempt);
    }
  }

  private static void insertFinals(Connection connection, List<LogBatch.AttemptEnd> finals)
      throws SQLException {
    if (finals.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_FINAL)) {
      for (LogBatch.AttemptEnd end : finals) {
        insert.setString(1, end.buildId());
        insert.setInt(2, end.attempt());
        insert.setLong(3, end.finalSeq());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void insertSteps(Connection connection, List<LogBatch.BuildStep> steps)
      throws SQLException {
    if (steps.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_STEP)) {
      for (LogBatch.BuildStep buildStep : steps) {
        StepEvent step = buildStep.step();
        insert.setString(1, buildStep.buildId());
        insert.setInt(2, step.attempt());
        insert.setInt(3, step.step());
        insert.setString(4, step.kind().label());
        insert.setInt(5, step.stage());
        insert.setInt(6, step.stages());
        insert.setInt(7, step.index());
        insert.setInt(8, step.total());
        insert.setString(9, step.instruction());
        insert.setObject(10, step.line(), Types.INTEGER);
        insert.setObject(11, step.cached(), Types.BOOLEAN);
        insert.setObject(12, step.failed(), Types.BOOLEAN);
        insert.setObject(13, step.durationMs(), Types.BIGINT);
        insert.setString(14, step.layer());
        insert.setLong(15, step.seq());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void upsertStatuses(Connection connection, List<LogBatch.LatestStatus> statuses)
      throws SQLException {
    if (statuses.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_STATUS)) {
      for (LogBatch.LatestStatus latest : statuses) {
        BuildStatus status = latest.status();
        upsert.setString(1, latest.buildId());
        upsert.setString(2, status.to().name());
        upsert.setString(3, status.from() == null ? null : status.from().name());
        upsert.setInt(4, status.attempt());
        upsert.setInt(5, status.progress());
        upsert.setString(6, status.reason());
        upsert.setString(7, status.workerId());
        upsert.setObject(8, status.lastSeq(), Types.BIGINT);
        upsert.setBoolean(9, status.terminal());
        upsert.setObject(10, OffsetDateTime.ofInstant(status.changedAt(), ZoneOffset.UTC));
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }
}
