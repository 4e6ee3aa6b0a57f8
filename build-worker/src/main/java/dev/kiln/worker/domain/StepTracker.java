package dev.kiln.worker.domain;

import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Follows a build engine's output line by line and tells where its Dockerfile steps begin and end.
 * Each engine prints steps its own way, so each engine brings its own tracker. Not thread-safe: the
 * caller feeds lines in seq order from one place.
 */
public interface StepTracker {
  /**
   * What one line tells.
   *
   * @param step the global number of the step the line belongs to, {@code null} outside steps
   * @param events the {@link StepStarted} and {@link StepFinished} events it caused, in order
   */
  record Observation(Integer step, List<Event> events) {}

  /** From now on, names each step's Dockerfile line with the build's Dockerfile steps. */
  void useDockerfileSteps(DockerfileSteps steps);

  /** Reads one line. */
  Observation onLine(long seq, Instant at, LogStream stream, String text);

  /** The step that is running now, if any. */
  Optional<StepStarted> runningStep();

  /** Ends the running step, if any, because the build ended. */
  Optional<StepFinished> finish(boolean failed, Instant at);
}
