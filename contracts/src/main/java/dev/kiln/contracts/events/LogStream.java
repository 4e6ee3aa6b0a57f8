package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a log line came from. */
public enum LogStream {
  /** The engine's standard output. */
  @JsonProperty("stdout")
  STDOUT,
  /** The engine's standard error. */
  @JsonProperty("stderr")
  STDERR,
  /** Kiln itself: fetching the context, pushing, cleaning up. */
  @JsonProperty("system")
  SYSTEM
}
