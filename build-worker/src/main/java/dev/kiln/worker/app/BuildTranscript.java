package dev.kiln.worker.app;

import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.events.LayerInfo;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.worker.domain.DockerfileSteps;
import dev.kiln.worker.domain.LineCap;
import dev.kiln.worker.domain.LogSequencer;
import dev.kiln.worker.domain.SecretMask;
import java.time.Clock;
import java.time.Instant;
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
 *
 * <p>Every line is made safe to publish here, where lines are made: secret values are masked (in
 * the whole line, before it is cut), a line longer than the line limit is cut and marked, and once
 * the log reaches its size limit one marker line is published and no more lines are (their steps
 * still are).
 */
public final class BuildTranscript implements BuildOutput {
  private static final Logger LOG = Logger.getLogger(BuildTranscript.class);
  private static final int RECENT_LINES = 64;

  private final String buildId;
  private final LogSequencer sequencer;
  private final LogBatcher batcher;
  private final EventSink events;
  private final Clock clock;
  private final Limits limits;
  private long publishedBytes;
  private boolean truncated;
  private final ArrayDeque<LogLine> recent = new ArrayDeque<>(RECENT_LINES);
  private CompletableFuture<Void> stepsPublished = CompletableFuture.completedFuture(null);
  private boolean closed;

  /**
   * What a published log may hold.
   *
   * @param mask the secret values never to publish
   * @param lineCap the longest line published
   * @param maxLogBytes the most line text published per attempt, in UTF-8 bytes
   */
  public record Limits(SecretMask mask, LineCap lineCap, long maxLogBytes) {
    /** The bytes a reader must keep of a line so that masking and cutting see enough of it. */
    public int lineBytesToKeep() {
      return lineCap.maxBytes() + mask.longestValueBytes() + 1;
    }
  }

  public BuildTranscript(
      String buildId,
      LogSequencer sequencer,
      LogBatcher batcher,
      EventSink events,
      Clock clock,
      Limits limits) {
    this.buildId = buildId;
    this.sequencer = sequencer;
    this.batcher = batcher;
    this.events = events;
    this.clock = clock;
    this.limits = limits;
  }

  @Override
  public synchronized void line(LogStream stream, String text) {
    if (closed) {
      LOG.debugf("build %s: line after the log closed: %s", buildId, text);
      return;
    }
    String safe = limits.lineCap().apply(limits.mask().apply(text));
    Instant at = clock.instant();
    if (!truncated) {
      long bytes = LineCap.utf8Length(safe);
      if (publishedBytes + bytes > limits.maxLogBytes()) {
        truncated = true;
        publish(
            at,
            LogStream.SYSTEM,
            "[log truncated: " + size(limits.maxLogBytes()) + " limit reached]");
      } else {
        publishedBytes += bytes;
        publish(at, stream, safe);
        return;
      }
    }
    sequencer.observe(at, stream, safe).forEach(this::publishStep);
    remember(new LogLine(Math.max(1, sequencer.lastSeq()), at, stream, null, safe));
  }

  /** The bytes of a line the engine's reader must keep; see {@link Limits#lineBytesToKeep()}. */
  @Override
  public int lineBytesToKeep() {
    return limits.lineBytesToKeep();
  }

  /** The image with every secret value masked in its layers' instructions. */
  public ImageInfo masked(ImageInfo image) {
    if (image == null) {
      return null;
    }
    List<LayerInfo> layers =
        image.layers().stream()
            .map(
                layer ->
                    new LayerInfo(
                        layer.digest(),
                        layer.size(),
                        layer.instruction() == null
                            ? null
                            : limits.mask().apply(layer.instruction()),
                        layer.line()))
            .toList();
    return new ImageInfo(
        image.digest(),
        image.imageId(),
        image.pushedRefs(),
        image.size(),
        layers,
        image.archived());
  }

  /** The error with every secret value masked in its texts. */
  public BuildError masked(BuildError error) {
    if (error == null) {
      return null;
    }
    return new BuildError(
        error.category(),
        limits.mask().apply(error.message()),
        error.suggestion() == null ? null : limits.mask().apply(error.suggestion()),
        error.step(),
        error.instruction() == null ? null : limits.mask().apply(error.instruction()),
        error.line(),
        error.exitCode());
  }

  /** From now on, names each step's Dockerfile line with the build's Dockerfile steps. */
  public synchronized void useDockerfileSteps(DockerfileSteps steps) {
    sequencer.useDockerfileSteps(steps);
  }

  private void publish(Instant at, LogStream stream, String text) {
    LogSequencer.Sequenced sequenced = sequencer.append(at, stream, text);
    batcher.add(sequenced.line());
    remember(sequenced.line());
    sequenced.stepEvents().forEach(this::publishStep);
  }

  private static String size(long bytes) {
    if (bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MiB";
    }
    return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
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
