package dev.kiln.logs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How topics are created when they are missing. */
@ConfigMapping(prefix = "kiln.kafka")
public interface KafkaSettings {

  /** Partitions of a topic this service creates. */
  @WithDefault("8")
  int partitions();

  /** Replicas of each partition of a topic this service creates. */
  @WithDefault("1")
  short replication();
}
