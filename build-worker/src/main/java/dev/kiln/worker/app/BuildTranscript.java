package dev.kiln.worker.app;

import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.worker.domain.LogSequencer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The log of one build attempt: numbers every line from the engine's two streams and from Kiln
 * itself in one sequence, batches the lines into chunks, and publishes the step events the lines
 * reveal. One lock keeps seq order, chunk order and step order the same.
 */
public final class BuildTranscript implements BuildOutput {
  private static final Logger LOG = Logger.getLogger(BuildTranscript.class);
  private static final int RECENT_LINES = 64;

  private final String buildId;
  private final LogSequencer sequencer;
  private final LogBatcher batcher;
  private final EventSink events;
  private final Clock clock;
  private final ArrayDeque<LogLine> recent = new ArrayDeque<>(RECENT_LINES);
  private CompletableFuture<Void> stepsPublished = CompletableFuture.completedFuture(null);
  private boolean closed;

  public BuildTranscript(
      String buildId, LogSequencer sequencer, LogBatcher batcher, EventSink events, Clock clock) {
    this.buildId = buildId;
    this.sequencer = sequencer;
    this.batcher = batcher;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public synchronized void line(LogStream stream, String text) {
    if (closed) {
      LOG.debugf("build %s: line after the log closed: %s", buildId, text);
      return;
    }
    LogSequencer.Sequenced sequenced = sequencer.append(clock.instant(), stream, text);
    batcher.add(sequenced.line());
    remember(sequenced.line());
    sequenced.stepEvents().forEach(this::publishStep);
  }

  @Override
  public synchronized Optional<StepStarted> runningStep() {
    return sequencer.runningStep();
  }

  @Override
  public synchronized List<LogLine> recentLines() {
    return new ArrayList<>(recent);
  }

  /**
   * Ends the log: finishes the running step (failed when the build did not succeed) and sends the
   * last chunk.
   *
   * @return completes with the seq of the last line once every chunk and step event is stored
   */
  public synchronized CompletableFuture<Long> close(boolean failed) {
    if (!closed) {
      closed = true;
      sequencer.finish(failed, clock.instant()).ifPresent(this::publishStep);
    }
    long lastSeq = sequencer.lastSeq();
    return batcher.close().thenCombine(stepsPublished, (chunks, steps) -> lastSeq);
  }

  private void publishStep(Event step) {
    stepsPublished = stepsPublished.thenCombine(events.publish(buildId, step), (a, b) -> null);
  }

  private void remember(LogLine line) {
    if (recent.size() == RECENT_LINES) {
      recent.removeFirst();
    }
    recent.addLast(line);
  }
}
