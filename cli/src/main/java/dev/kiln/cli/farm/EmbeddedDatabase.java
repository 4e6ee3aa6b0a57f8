package dev.kiln.cli.farm;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The farm's PostgreSQL: {@link PostgresServerMain} in a JVM of its own, keeping its data under the
 * farm's data directory so builds survive a restart of the farm.
 */
final class EmbeddedDatabase {
  static final String DATABASE = "kiln";
  static final String USER = "postgres";
  static final String PASSWORD = "postgres";

  private EmbeddedDatabase() {}

  /** Starts the server, waits for it, and creates the {@code kiln} database when missing. */
  static ManagedProcess start(FarmSettings settings, String java) throws FarmException {
    Path dataDirectory = settings.data().resolve("postgres").toAbsolutePath();
    ManagedProcess server =
        ManagedProcess.start(
            "postgres",
            List.of(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                PostgresServerMain.class.getName(),
                dataDirectory.toString(),
                Integer.toString(settings.postgresPort())),
            Map.of(),
            settings);
    KafkaBrokerProcess.awaitPort(server, settings.postgresPort(), Duration.ofSeconds(60));
    try {
      createKilnDatabase(settings.postgresPort());
    } catch (SQLException e) {
      server.stop(Duration.ofSeconds(10));
      throw new FarmException(
          "PostgreSQL started but refused the kiln database (see "
              + server.logFile()
              + "): "
              + e.getMessage(),
          e);
    }
    return server;
  }

  static String jdbcUrl(FarmSettings settings) {
    return "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/" + DATABASE;
  }

  private static void createKilnDatabase(int port) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD);
        PreparedStatement exists =
            connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      exists.setString(1, DATABASE);
      try (ResultSet result = exists.executeQuery()) {
        if (!result.next()) {
          connection.createStatement().execute("create database " + DATABASE);
        }
      }
    }
  }
}
