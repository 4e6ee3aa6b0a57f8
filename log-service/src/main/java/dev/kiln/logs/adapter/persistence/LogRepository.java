package dev.kiln.logs.adapter.persistence;

import dev.kiln.contracts.BuildState;
import dev.kiln.logs.app.LogReader;
import dev.kiln.logs.app.LogStoreException;
import dev.kiln.logs.app.LogWriter;
import dev.kiln.logs.config.LogServiceConfig;
import dev.kiln.logs.domain.AttemptProgress;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogBatch;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StepEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;

/** The {@code logs} schema, through plain JDBC. */
@ApplicationScoped
public class LogRepository implements LogReader, LogWriter {
  // Lines go in as arrays unnested into rows: one statement per chunk of lines, whatever its size,
  // and the same statement text every time, so the server keeps it prepared. The rows actually
  // inserted (repeats are skipped) are counted into their attempt in the same statement.
  private static final String INSERT_LINES =
      """
      with inserted as (
        insert into logs.log_lines (build_id, attempt, seq, ts, stream, step, text)
        select b, a, s, t::timestamptz, st, sp, tx
        from unnest(?::text[], ?::int[], ?::bigint[], ?::text[], ?::text[], ?::int[], ?::text[])
          as l(b, a, s, t, st, sp, tx)
        on conflict (build_id, attempt, seq) do nothing
        returning build_id, attempt)
      insert into logs.attempts (build_id, attempt, line_count)
      select build_id, attempt, count(*) from inserted group by build_id, attempt
      on conflict (build_id, attempt)
        do update set line_count = logs.attempts.line_count + excluded.line_count
      """;
  private static final String INSERT_FINAL =
      """
      insert into logs.attempts (build_id, attempt, last_seq, complete) values (?, ?, ?, true)
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
  private static final String SELECT_STATUS =
      "select status, from_status, attempt, reason, worker_id, last_seq, updated_at"
          + " from logs.builds where build_id = ?";
  private static final String SELECT_LATEST_ATTEMPT =
      "select max(attempt) from logs.attempts where build_id = ?";
  private static final String SELECT_PROGRESS =
      "select line_count, last_seq, complete from logs.attempts"
          + " where build_id = ? and attempt = ?";
  private static final String SELECT_LINES =
      "select seq, ts, stream, step, text from logs.log_lines"
          + " where build_id = ? and attempt = ? and seq > ? order by seq limit ?";
  private static final String SELECT_STEPS =
      "select event, step, stage, stages, step_index, total, instruction, dockerfile_line,"
          + " cached, failed, duration_ms, layer, seq from logs.steps"
          + " where build_id = ? and attempt = ?";

  private final DataSource dataSource;
  private final int insertRows;

  public LogRepository(DataSource dataSource, LogServiceConfig config) {
    this.dataSource = dataSource;
    this.insertRows = config.insertRows();
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

  private void insertLines(Connection connection, List<LogBatch.BuildLine> lines)
      throws SQLException {
    if (lines.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_LINES)) {
      for (int from = 0; from < lines.size(); from += insertRows) {
        List<LogBatch.BuildLine> chunk =
            lines.subList(from, Math.min(lines.size(), from + insertRows));
        int n = chunk.size();
        String[] builds = new String[n];
        Integer[] attempts = new Integer[n];
        Long[] seqs = new Long[n];
        String[] times = new String[n];
        String[] streams = new String[n];
        Integer[] steps = new Integer[n];
        String[] texts = new String[n];
        for (int i = 0; i < n; i++) {
          LogBatch.BuildLine line = chunk.get(i);
          LogEntry entry = line.entry();
          builds[i] = line.buildId();
          attempts[i] = entry.attempt();
          seqs[i] = entry.seq();
          times[i] = entry.ts().toString();
          streams[i] = entry.stream();
          steps[i] = entry.step();
          texts[i] = entry.text();
        }
        insert.setArray(1, connection.createArrayOf("text", builds));
        insert.setArray(2, connection.createArrayOf("int4", attempts));
        insert.setArray(3, connection.createArrayOf("int8", seqs));
        insert.setArray(4, connection.createArrayOf("text", times));
        insert.setArray(5, connection.createArrayOf("text", streams));
        insert.setArray(6, connection.createArrayOf("int4", steps));
        insert.setArray(7, connection.createArrayOf("text", texts));
        insert.executeUpdate();
      }
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

  @Override
  public Optional<BuildStatus> status(String buildId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT_STATUS)) {
      select.setString(1, buildId);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        String from = row.getString(2);
        return Optional.of(
            new BuildStatus(
                from == null ? null : BuildState.valueOf(from),
                BuildState.valueOf(row.getString(1)),
                row.getInt(3),
                row.getString(4),
                row.getString(5),
                row.getObject(6, Long.class),
                row.getObject(7, OffsetDateTime.class).toInstant()));
      }
    } catch (SQLException e) {
      throw failed("read the status of build " + buildId, e);
    }
  }

  @Override
  public OptionalInt latestLoggedAttempt(String buildId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT_LATEST_ATTEMPT)) {
      select.setString(1, buildId);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        int attempt = row.getInt(1);
        return row.wasNull() ? OptionalInt.empty() : OptionalInt.of(attempt);
      }
    } catch (SQLException e) {
      throw failed("read the attempts of build " + buildId, e);
    }
  }

  @Override
  public AttemptProgress progress(String buildId, int attempt) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT_PROGRESS)) {
      select.setString(1, buildId);
      select.setInt(2, attempt);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return AttemptProgress.none(attempt);
        }
        Long lastSeq = row.getObject(2, Long.class);
        return new AttemptProgress(attempt, row.getLong(1), row.getBoolean(3) ? lastSeq : null);
      }
    } catch (SQLException e) {
      throw failed("read attempt " + attempt + " of build " + buildId, e);
    }
  }

  @Override
  public List<LogEntry> lines(String buildId, int attempt, long after, int limit) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT_LINES)) {
      select.setString(1, buildId);
      select.setInt(2, attempt);
      select.setLong(3, after);
      select.setInt(4, limit);
      try (ResultSet row = select.executeQuery()) {
        List<LogEntry> lines = new ArrayList<>(Math.min(limit, 1024));
        while (row.next()) {
          lines.add(
              new LogEntry(
                  attempt,
                  row.getLong(1),
                  row.getObject(2, OffsetDateTime.class).toInstant(),
                  row.getString(3),
                  row.getObject(4, Integer.class),
                  row.getString(5)));
        }
        return lines;
      }
    } catch (SQLException e) {
      throw failed("read the log of build " + buildId, e);
    }
  }

  @Override
  public List<StepEvent> steps(String buildId, int attempt) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT_STEPS)) {
      select.setString(1, buildId);
      select.setInt(2, attempt);
      try (ResultSet row = select.executeQuery()) {
        List<StepEvent> steps = new ArrayList<>();
        while (row.next()) {
          steps.add(
              new StepEvent(
                  StepEvent.Kind.ofLabel(row.getString(1)),
                  attempt,
                  row.getInt(2),
                  row.getInt(3),
                  row.getInt(4),
                  row.getInt(5),
                  row.getInt(6),
                  row.getString(7),
                  row.getObject(8, Integer.class),
                  row.getObject(9, Boolean.class),
                  row.getObject(10, Boolean.class),
                  row.getObject(11, Long.class),
                  row.getString(12),
                  row.getLong(13)));
        }
        steps.sort(StepEvent.LOG_ORDER);
        return steps;
      }
    } catch (SQLException e) {
      throw failed("read the steps of build " + buildId, e);
    }
  }

  private static LogStoreException failed(String what, SQLException e) {
    return new LogStoreException("cannot " + what + ": " + e.getMessage(), e);
  }
}
