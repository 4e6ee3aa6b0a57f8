package dev.kiln.logs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of log-service. */
@ConfigMapping(prefix = "kiln.logs")
public interface LogServiceConfig {

  /** Log lines read per database page when replaying a stream or serving a log as text. */
  @WithDefault("1000")
  int pageSize();

  /** Messages a live stream buffers for its client before the client counts as too slow. */
  @WithDefault("10000")
  int streamBuffer();

  /** How long after a build ended without a known last line its stream still waits for it. */
  @WithDefault("30s")
  Duration finalSeqGrace();

  /** How long a stream still takes late step events after the last line of an ended build. */
  @WithDefault("500ms")
  Duration endSettle();

  /**
   * The longest a stream waits before it reads again lines that were announced but not stored; it
   * reads them as soon as the store has passed them, when the event log can tell.
   */
  @WithDefault("1s")
  Duration gapRetry();

  /**
   * How often the store's progress is read from Kafka (the committed offsets of the store group)
   * while a stream waits for it.
   */
  @WithDefault("250ms")
  Duration storePollInterval();

  /** How long a stream of a build nothing is known about stays open waiting for news of it. */
  @WithDefault("60s")
  Duration unknownBuildTimeout();

  /** How long a stream client may take to accept what was sent before it counts as gone. */
  @WithDefault("30s")
  Duration sendTimeout();

  /**
   * How long the log of an ended build is kept after its last status change; older logs are deleted
   * by a scheduled job.
   */
  @WithDefault("30d")
  Duration retention();

  /** How often the retention job looks for logs past {@link #retention()}. */
  @WithDefault("1h")
  Duration retentionCheckInterval();

  /** This instance's name in its live consumer group; a random one when not set. */
  Optional<String> instanceId();
}
