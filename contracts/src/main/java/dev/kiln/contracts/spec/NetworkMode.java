package dev.kiln.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The network a build's RUN steps get. */
public enum NetworkMode {
  /** The worker's network. */
  @JsonProperty("default")
  DEFAULT,
  /** No network at all, enforced by the runtime. */
  @JsonProperty("none")
  NONE
}
