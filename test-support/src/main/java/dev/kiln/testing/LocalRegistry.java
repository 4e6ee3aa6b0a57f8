package dev.kiln.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real OCI distribution registry ({@code docker-registry} from Debian) on a free loopback port,
 * storing into a temporary folder, without TLS or authentication.
 */
public final class LocalRegistry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path root;

  private LocalRegistry(Process process, int port, Path root) {
    this.process = process;
    this.port = port;
    this.root = root;
  }

  /** Starts a registry and waits until {@code /v2/} answers. */
  public static LocalRegistry start() {
    return start(null);
  }

  /**
   * Starts a registry that answers only to one user, and waits until {@code /v2/} answers (401
   * without credentials).
   *
   * @param htpasswdLine {@code user:bcrypt-hash}, as {@code htpasswd -B} writes it
   */
  public static LocalRegistry startWithLogin(String htpasswdLine) {
    return start(htpasswdLine);
  }

  private static LocalRegistry start(String htpasswdLine) {
    try {
      int port = freePort();
      Path root = Files.createTempDirectory("kiln-registry");
      Path config = root.resolve("config.yml");
      String auth = "";
      if (htpasswdLine != null) {
        Path htpasswd = root.resolve("htpasswd");
        Files.writeString(htpasswd, htpasswdLine + "\n");
        auth =
            """
            auth:
              htpasswd:
                realm: kiln-test
                path: %s
            """
                .formatted(htpasswd);
      }
      Files.writeString(
          config,
          """
          version: 0.1
          log:
            level: warn
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
          http:
            addr: 127.0.0.1:%d
          """
                  .formatted(root.resolve("data"), port)
              + auth);
      Process process =
          new ProcessBuilder("docker-registry", "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(root.resolve("registry.log").toFile())
              .start();
      LocalRegistry registry = new LocalRegistry(process, port, root);
      registry.awaitReady(Duration.ofSeconds(30));
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start docker-registry (install the Debian package docker-registry)", e);
    }
  }

  /** {@code 127.0.0.1:port}, the registry part of an image reference. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  private void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited with " + process.exitValue());
      }
      try {
        HttpURLConnection connection =
            (HttpURLConnection) URI.create("http://" + host() + "/v2/").toURL().openConnection();
        connection.setConnectTimeout(500);
        int status = connection.getResponseCode();
        if (status == 200 || status == 401) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the registry", e);
      }
    }
    close();
    throw new IllegalStateException("docker-registry did not answer within " + timeout);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> tree = Files.walk(root)) {
      tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary folder: what is left goes with the system's temporary files
    }
  }
}
