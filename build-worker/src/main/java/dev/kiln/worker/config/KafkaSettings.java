package dev.kiln.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How Kiln's topics are created when the worker is the first service to start. */
@ConfigMapping(prefix = "kiln.kafka")
public interface KafkaSettings {
  /** Partitions of each new topic. */
  @WithDefault("8")
  int partitions();

  /** Replicas of each partition of a new topic. */
  @WithDefault("1")
  short replication();
}
