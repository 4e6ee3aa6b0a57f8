package dev.kiln.logs.domain;

import dev.kiln.contracts.BuildState;

/** One message of a live log stream, in the order a client receives them. */
public sealed interface StreamMessage {

  /** A log line. */
  record Line(LogEntry entry) implements StreamMessage {}

  /** A step started or finished, sent after the line it is placed at. */
  record Step(StepEvent step) implements StreamMessage {}

  /** The build's status changed; a higher attempt than before means a new attempt began. */
  record Status(BuildStatus status) implements StreamMessage {}

  /** The build ended and every line was sent; nothing follows. */
  record End(BuildState status) implements StreamMessage {}
}
