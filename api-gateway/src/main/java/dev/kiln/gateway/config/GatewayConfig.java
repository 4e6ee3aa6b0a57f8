package dev.kiln.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

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
}
