package dev.kiln.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When a build pulls its base images. */
public enum PullPolicy {
  /** Pull every time, even when a local copy exists. */
  @JsonProperty("always")
  ALWAYS,
  /** Pull only what is not stored locally. */
  @JsonProperty("missing")
  MISSING,
  /** Never pull; a missing base image fails the build. */
  @JsonProperty("never")
  NEVER
}
