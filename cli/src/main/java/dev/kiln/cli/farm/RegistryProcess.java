package dev.kiln.cli.farm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local OCI registry: Debian's {@code docker-registry} (distribution v2) on loopback, without TLS
 * or authentication, storing under the farm's data directory.
 */
final class RegistryProcess {
  static final String BINARY = "docker-registry";

  private RegistryProcess() {}

  /** Starts the registry, or returns empty when {@code docker-registry} is not installed. */
  static Optional<ManagedProcess> start(FarmSettings settings) throws FarmException {
    if (Executables.find(BINARY).isEmpty()) {
      return Optional.empty();
    }
    Path home = settings.data().resolve("registry");
    Path config = home.resolve("config.yml");
    try {
      Files.createDirectories(home);
      Files.writeString(
          config,
          """
          version: 0.1
          log:
            level: info
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
          http:
            addr: 127.0.0.1:%d
          """
              .formatted(home.resolve("data").toAbsolutePath(), settings.registryPort()));
    } catch (IOException e) {
      throw new FarmException("cannot write the registry's configuration: " + e, e);
    }
    ManagedProcess registry =
        ManagedProcess.start(
            "registry",
            List.of(BINARY, "serve", config.toAbsolutePath().toString()),
            Map.of(),
            settings);
    KafkaBrokerProcess.awaitPort(registry, settings.registryPort(), Duration.ofSeconds(30));
    return Optional.of(registry);
  }
}
