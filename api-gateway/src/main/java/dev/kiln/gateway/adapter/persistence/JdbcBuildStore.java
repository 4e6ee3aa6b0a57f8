package dev.kiln.gateway.adapter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.dockerfile.Finding;
import dev.kiln.gateway.app.BuildStore;
import dev.kiln.gateway.domain.BuildRecord;
import dev.kiln.gateway.domain.CatalogOrigin;
import dev.kiln.messaging.Inbox;
import dev.kiln.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Builds in {@code gateway.builds}, with the outbox and inbox that keep them in step with Kafka.
 */
@ApplicationScoped
public class JdbcBuildStore implements BuildStore {
  /** The table the outbox relay publishes from. */
  public static final Outbox OUTBOX = new Outbox("gateway.outbox");

  private static final Logger LOG = Logger.getLogger(JdbcBuildStore.class);
  private static final Inbox INBOX = new Inbox("gateway.inbox");
  private static final ObjectMapper JSON = EventCodec.mapper();
  private static final String COLUMNS =
      "id, owner, spec, status, attempt, worker, reason, image, error,"
          + " created_at, queued_at, started_at, finished_at, updated_at,"
          + " warnings, catalog, catalog_commit";
  private static final TypeReference<List<Finding>> FINDINGS = new TypeReference<>() {};

  private final Transactions transactions;

  public JdbcBuildStore(Transactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void insert(BuildRecord build, Envelope requested) {
    transactions.run(
        "the build could not be stored, so it was not queued",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "insert into gateway.builds ("
                      + COLUMNS
                      + ") values (?, ?, cast(? as jsonb), ?, ?, ?, ?, cast(? as jsonb),"
                      + " cast(? as jsonb), ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?)")) {
            insert.setObject(1, UUID.fromString(build.id()));
            insert.setString(2, build.owner());
            insert.setString(3, json(build.spec()));
            setState(insert, 4, build);
            insert.setString(15, json(build.warnings()));
            CatalogOrigin catalog = build.catalog();
            insert.setString(16, catalog == null ? null : catalog.name());
            insert.setString(17, catalog == null ? null : catalog.commit());
            insert.executeUpdate();
          }
          OUTBOX.append(connection, requested);
          return null;
        });
  }

  @Override
  public void append(Envelope event) {
    transactions.run(
        "the request could not be stored",
        connection -> {
          OUTBOX.append(connection, event);
          return null;
        });
  }

  @Override
  public Optional<BuildRecord> find(String buildId) {
    return transactions.run("the build could not be read", c -> find(c, buildId, false));
  }

  @Override
  public List<BuildRecord> list(BuildState status, String owner, String before, int limit) {
    List<String> conditions = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    if (status != null) {
      conditions.add("status = ?");
      parameters.add(status.name());
    }
    if (owner != null) {
      conditions.add("owner = ?");
      parameters.add(owner);
    }
    if (before != null) {
      conditions.add("id < ?");
      parameters.add(UUID.fromString(before));
    }
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from gateway.builds");
    if (!conditions.isEmpty()) {
      sql.append(" where ").append(String.join(" and ", conditions));
    }
    sql.append(" order by id desc limit ?");
    parameters.add(limit);
    return transactions.run(
        "the builds could not be read",
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
              select.setObject(i + 1, parameters.get(i));
            }
            List<BuildRecord> builds = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                builds.add(read(rows));
              }
            }
            return builds;
          }
        });
  }

  @Override
  public void applyStatusChanges(List<Envelope> changes) {
    transactions.run(
        "status changes could not be applied",
        connection -> {
          for (Envelope change : changes) {
            if (INBOX.firstDelivery(connection, change.eventId())) {
              apply(connection, change);
            }
          }
          return null;
        });
  }

  private void apply(Connection connection, Envelope change) throws SQLException {
    Optional<BuildRecord> current =
        BuildIds.isValid(change.buildId())
            ? find(connection, change.buildId(), true)
            : Optional.empty();
    if (current.isEmpty()) {
      LOG.infof(
          "ignoring a status change of build %s, which this gateway never accepted",
          change.buildId());
      return;
    }
    BuildRecord next =
        current.get().apply((BuildStatusChanged) change.payload(), change.occurredAt());
    try (PreparedStatement update =
        connection.prepareStatement(
            "update gateway.builds set status = ?, attempt = ?, worker = ?, reason = ?,"
                + " image = cast(? as jsonb), error = cast(? as jsonb), created_at = ?,"
                + " queued_at = ?, started_at = ?, finished_at = ?, updated_at = ? where id = ?")) {
      setState(update, 1, next);
      update.setObject(12, UUID.fromString(next.id()));
      update.executeUpdate();
    }
  }

  /** Sets status through updated_at, the eleven columns that change, from {@code first} on. */
  private static void setState(PreparedStatement statement, int first, BuildRecord build)
      throws SQLException {
    statement.setString(first, build.status().name());
    statement.setInt(first + 1, build.attempt());
    statement.setString(first + 2, build.worker());
    statement.setString(first + 3, build.reason());
    statement.setString(first + 4, build.image() == null ? null : json(build.image()));
    statement.setString(first + 5, build.error() == null ? null : json(build.error()));
    setInstant(statement, first + 6, build.createdAt());
    setInstant(statement, first + 7, build.queuedAt());
    setInstant(statement, first + 8, build.startedAt());
    setInstant(statement, first + 9, build.finishedAt());
    setInstant(statement, first + 10, build.updatedAt());
  }

  private static Optional<BuildRecord> find(Connection connection, String buildId, boolean lock)
      throws SQLException {
    if (!BuildIds.isValid(buildId)) {
      return Optional.empty();
    }
    try (PreparedStatement select =
        connection.prepareStatement(
            "select "
                + COLUMNS
                + " from gateway.builds where id = ?"
                + (lock ? " for update" : ""))) {
      select.setObject(1, UUID.fromString(buildId));
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(read(row)) : Optional.empty();
      }
    }
  }

  private static BuildRecord read(ResultSet row) throws SQLException {
    String image = row.getString("image");
    String error = row.getString("error");
    String warnings = row.getString("warnings");
    String catalog = row.getString("catalog");
    return new BuildRecord(
        row.getObject("id", UUID.class).toString(),
        row.getString("owner"),
        parse(row.getString("spec"), BuildSpec.class),
        BuildState.valueOf(row.getString("status")),
        row.getInt("attempt"),
        row.getString("worker"),
        row.getString("reason"),
        image == null ? null : parse(image, ImageInfo.class),
        error == null ? null : parse(error, BuildError.class),
        instant(row, "created_at"),
        instant(row, "queued_at"),
        instant(row, "started_at"),
        instant(row, "finished_at"),
        instant(row, "updated_at"),
        warnings == null ? List.of() : parse(warnings, FINDINGS),
        catalog == null ? null : new CatalogOrigin(catalog, row.getString("catalog_commit")));
  }

  private static void setInstant(PreparedStatement statement, int index, Instant instant)
      throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
  }

  private static Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  private static <T> T parse(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored " + type.getType() + " is unreadable", e);
    }
  }

  private static <T> T parse(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored " + type.getSimpleName() + " is unreadable", e);
    }
  }
}
