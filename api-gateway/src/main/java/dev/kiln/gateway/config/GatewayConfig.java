package dev.kiln.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Settings of the gateway, under {@code kiln.gateway}. */
@ConfigMapping(prefix = "kiln.gateway")
public interface GatewayConfig {
  /** Where uploaded contexts, image archives and uploads in progress are kept. */
  @WithDefault(".kiln/gateway")
  Path dataDir();

  /** The largest build context {@code POST /api/v1/contexts} accepts, as uploaded. */
  @WithDefault("2G")
  MemorySize contextMaxSize();

  /** The largest OCI archive a worker may upload for a build that did not push. */
  @WithDefault("10G")
  MemorySize imageMaxSize();

  /** The log-service whose log history, steps and live stream the gateway relays. */
  @WithDefault("http://localhost:8082")
  URI logServiceUrl();

  /** Who may call the API. */
  Auth auth();

  /** Settings of API authentication, under {@code kiln.gateway.auth}. */
  interface Auth {
    /**
     * Whether every call under {@code /api} needs a valid token. Without it, every caller is the
     * admin {@code anonymous}; only for trying Kiln out alone.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * When set and no valid admin token exists, the gateway makes one at start and writes its
     * secret to this file (readable by its owner only), once.
     */
    Optional<Path> bootstrapTokenFile();

    /**
     * The secret workers send as {@code Authorization: Bearer …} to {@code /internal/v1}. When
     * unset, the internal endpoints answer any caller: set it wherever the gateway's port is
     * reachable by others.
     */
    Optional<String> internalToken();
  }
}
