package dev.kiln.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How Kiln's topics are created when this service is the first to start. */
@ConfigMapping(prefix = "kiln.kafka")
public interface KafkaSettings {
  /** Partitions of each topic this service creates. */
  @WithDefault("8")
  int partitions();

  /** Replicas of each partition of a topic this service creates. */
  @WithDefault("1")
  short replication();
}
