package dev.kiln.bench;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.LogChunk;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark only: stands in for a build worker that prints log lines, and for the scheduler's
 * status events around them, so that the log pipeline (Kafka → log-service → PostgreSQL and
 * WebSocket) can be driven at a chosen pace without buildah. It publishes what the real ones
 * publish, on the same topics, with the same producer settings ({@link
 * KafkaClients#producerConfig}), and groups lines into chunks the way the worker does with its
 * default limits: a chunk leaves at {@value #CHUNK_LINES} lines, {@value #CHUNK_BYTES} bytes of
 * text, or {@link #LINGER} after its first line.
 */
final class SyntheticWorker implements AutoCloseable {
  static final int CHUNK_LINES = 500;
  static final int CHUNK_BYTES = 256 * 1024;
  static final Duration LINGER = Duration.ofMillis(50);

  private final EventPublisher publisher;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> Thread.ofPlatform().daemon().name("synthetic-linger").unstarted(runnable));

  SyntheticWorker(String bootstrapServers) {
    this.publisher =
        new EventPublisher(KafkaClients.producerConfig(bootstrapServers, "synthetic-worker"));
  }

  /** Announces the build as running, as the scheduler would once a worker took it. */
  void running(String buildId) {
    publisher.publishAndWait(
        Envelope.of(
            buildId,
            new BuildStatusChanged(
                BuildState.ASSIGNED, BuildState.RUNNING, 1, null, "synthetic", null, null, null)),
        Duration.ofSeconds(30));
  }

  /** Announces the build as succeeded with its last line, as the scheduler would. */
  void succeeded(String buildId, long lastSeq) {
    publisher.publishAndWait(
        Envelope.of(
            buildId,
            new BuildStatusChanged(
                BuildState.RUNNING,
                BuildState.SUCCEEDED,
                1,
                null,
                "synthetic",
                null,
                null,
                lastSeq)),
        Duration.ofSeconds(30));
  }

  /** The log of attempt 1 of a build, to print lines into. */
  BuildLog log(String buildId) {
    return new BuildLog(buildId);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    publisher.close();
  }

  /** One attempt's log: lines numbered from 1, batched into chunks. */
  final class BuildLog {
    private final String buildId;
    private final List<LogLine> pending = new ArrayList<>();
    private long pendingBytes;
    private long nextSeq = 1;
    private ScheduledFuture<?> lingering;
    private CompletableFuture<?> published = CompletableFuture.completedFuture(null);

    private BuildLog(String buildId) {
      this.buildId = buildId;
    }

    /** Prints one line now: its timestamp is this moment. Returns its seq. */
    synchronized long print(String text) {
      long seq = nextSeq + pending.size();
      pending.add(new LogLine(seq, Instant.now(), LogStream.STDOUT, 1, text));
      pendingBytes += text.getBytes(StandardCharsets.UTF_8).length;
      if (pending.size() >= CHUNK_LINES || pendingBytes >= CHUNK_BYTES) {
        flush(false);
      } else if (lingering == null) {
        lingering = timer.schedule(this::lingered, LINGER.toNanos(), TimeUnit.NANOSECONDS);
      }
      return seq;
    }

    /** Sends the last chunk and waits until the broker took every chunk; returns the last seq. */
    long close() {
      CompletableFuture<?> all;
      long last;
      synchronized (this) {
        last = nextSeq + pending.size() - 1;
        flush(true);
        all = published;
      }
      all.join();
      return last;
    }

    private synchronized void lingered() {
      lingering = null;
      if (!pending.isEmpty()) {
        flush(false);
      }
    }

    private void flush(boolean last) {
      if (lingering != null) {
        lingering.cancel(false);
        lingering = null;
      }
      LogChunk chunk = new LogChunk(1, nextSeq, pending, last);
      nextSeq += pending.size();
      pending.clear();
      pendingBytes = 0;
      CompletableFuture<?> sent = publisher.publish(Envelope.of(buildId, chunk));
      published = CompletableFuture.allOf(published, sent);
    }
  }
}
