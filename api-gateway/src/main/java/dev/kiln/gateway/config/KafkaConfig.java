package dev.kiln.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the topics this service creates at start are laid out, under {@code kiln.kafka}. */
@ConfigMapping(prefix = "kiln.kafka")
public interface KafkaConfig {
  /** Partitions of each topic created at start. */
  @WithDefault("8")
  int partitions();

  /** Replicas of each partition of a topic created at start. */
  @WithDefault("1")
  short replication();
}
