package dev.kiln.logs.adapter.persistence;

import dev.kiln.contracts.BuildState;
import dev.kiln.logs.app.LogReader;
import dev.kiln.logs.app.LogStoreException;
import dev.kiln.logs.domain.AttemptProgress;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StepEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;

/** Reads the {@code logs} schema, through plain JDBC; {@link LogBatchStore} writes it. */
@ApplicationScoped
public class LogRepository implements LogReader {
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

  public LogRepository(DataSource dataSource) {
    this.dataSource = dataSource;
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
