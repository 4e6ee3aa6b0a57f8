package dev.kiln.cli.farm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One Kiln service (a Quarkus application) run from its built {@code quarkus-app} folder. */
final class ServiceProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private ServiceProcess() {}

  /**
   * Starts {@code module}'s application as process {@code name}.
   *
   * @param properties system properties (the service's settings) passed with {@code -D}
   * @param secrets settings passed as environment variables instead, so that no process listing
   *     shows them ({@code kiln.a-b.c} becomes {@code KILN_A_B_C}, which Quarkus reads back)
   */
  static ManagedProcess start(
      String name,
      String module,
      Map<String, String> properties,
      Map<String, String> secrets,
      FarmSettings settings,
      String java)
      throws FarmException {
    Path jar = settings.home().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new FarmException(
          module + " is not built (" + jar + " is missing); run ./mvnw package -DskipTests");
    }
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx" + settings.serviceHeap());
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    Map<String, String> environment = new LinkedHashMap<>();
    secrets.forEach(
        (key, value) ->
            environment.put(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
    return ManagedProcess.start(name, command, environment, settings);
  }

  /** Waits until the service reports itself ready on {@code /q/health/ready}. */
  static void awaitReady(ManagedProcess service, int port, Duration timeout) throws FarmException {
    URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!service.isAlive()) {
        throw new FarmException(
            service.name()
                + " exited while starting; the end of "
                + service.logFile()
                + ":\n"
                + service.tail(30));
      }
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FarmException("interrupted while waiting for " + service.name(), e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FarmException("interrupted while waiting for " + service.name(), e);
      }
    }
    throw new FarmException(
        service.name()
            + " was not ready within "
            + timeout.toSeconds()
            + " s; the end of "
            + service.logFile()
            + ":\n"
            + service.tail(30));
  }
}
