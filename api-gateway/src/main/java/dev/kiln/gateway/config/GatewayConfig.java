package dev.kiln.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
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

  /**
   * Glob patterns of the images builds may use ({@code *} within a path part, {@code **} across
   * parts); when none is set, every image is allowed.
   */
  Optional<List<String>> allowedBaseImages();

  /** The Dockerfile catalog. */
  Catalog catalog();

  /** Settings of the catalog, under {@code kiln.gateway.catalog}. */
  interface Catalog {
    /**
     * The URL of an external editor for a custom image; {@code {name}} in it is replaced by the
     * image's name, and without it {@code /custom/<name>} is appended. No editUrl when unset.
     */
    Optional<String> editorUrl();

    /** Whether a new catalog starts with the templates Kiln ships. */
    @WithDefault("true")
    boolean seedTemplates();
  }

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
