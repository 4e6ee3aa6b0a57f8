package dev.kiln.worker.app;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.events.BuildError;

/** How an engine's build ended. */
public sealed interface BuildOutcome {
  /** The image was built; {@code imageId} names it in the engine's local storage. */
  record Built(Digest imageId) implements BuildOutcome {}

  /** The build failed, for the reason given. */
  record Failed(BuildError error) implements BuildOutcome {}

  /** The build was stopped on request before it ended. */
  record Stopped() implements BuildOutcome {}
}
