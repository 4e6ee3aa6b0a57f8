package dev.kiln.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** How the gateway relays logs and live streams, under {@code kiln.gateway}. */
@ConfigMapping(prefix = "kiln.gateway")
public interface LogRelayConfig {
  /**
   * The log-services whose log history, steps and live streams the gateway relays; requests take
   * them in turn, and one that cannot be reached is skipped for the next.
   */
  @WithDefault("http://localhost:8082")
  List<URI> logServiceUrls();

  /** How long a log-service that could not be reached is tried only after the others. */
  @WithDefault("5s")
  Duration logServiceRetry();

  /**
   * How often the gateway pings the clients of its live streams; a client that answers none of two
   * pings in a row is disconnected.
   */
  @WithDefault("30s")
  Duration streamPingInterval();

  /**
   * Bytes of status messages the build status feed holds for one client before it counts as too
   * slow and is closed.
   */
  @WithDefault("1M")
  MemorySize statusFeedBuffer();
}
