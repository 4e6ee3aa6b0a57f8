package dev.kiln.worker.app;

import dev.kiln.contracts.events.BuildError;

/** An engine could not finish an image operation (push, archive) for the reason given. */
public final class EngineFailure extends Exception {
  private final BuildError error;

  public EngineFailure(BuildError error) {
    super(error.message());
    this.error = error;
  }

  public BuildError error() {
    return error;
  }
}
