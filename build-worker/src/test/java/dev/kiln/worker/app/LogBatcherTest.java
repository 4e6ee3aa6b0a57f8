package dev.kiln.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.contracts.events.LogChunk;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogBatcherTest {
  private static final Duration NEVER = Duration.ofHours(1);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ConcurrentLinkedQueue<LogChunk> published = new ConcurrentLinkedQueue<>();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @Test
  void chunkLeavesWhenItHoldsMaxLines() {
    LogBatcher batcher = batcher(new LogBatcher.Limits(3, 1_000_000, NEVER));
    for (int seq = 1; seq <= 7; seq++) {
      batcher.add(line(seq, "line " + seq));
    }

    assertThat(published).extracting(LogChunk::firstSeq).containsExactly(1L, 4L);
    batcher.close().join();
    assertThat(published).extracting(chunk -> chunk.lines().size()).containsExactly(3, 3, 1);
    assertThat(published).extracting(LogChunk::last).containsExactly(false, false, true);
  }

  @Test
  void chunkLeavesWhenItsTextReachesMaxBytesCountedInUtf8() {
    LogBatcher batcher = batcher(new LogBatcher.Limits(500, 8, NEVER));
    batcher.add(line(1, "ééé"));
    assertThat(published).isEmpty();
    batcher.add(line(2, "é"));

    assertThat(published).singleElement().satisfies(chunk -> assertThat(chunk.lines()).hasSize(2));
  }

  @Test
  void lingeringLineLeavesWithoutWaitingForMoreLines() {
    LogBatcher batcher = batcher(new LogBatcher.Limits(500, 1_000_000, Duration.ofMillis(10)));
    batcher.add(line(1, "alone"));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(published)
                    .singleElement()
                    .satisfies(
                        chunk -> {
                          assertThat(chunk.last()).isFalse();
                          assertThat(chunk.lines())
                              .extracting(LogLine::text)
                              .containsExactly("alone");
                        }));
  }

  @Test
  void closingWithNothingPendingSendsAnEmptyLastChunkAfterTheLastSeq() {
    LogBatcher batcher = batcher(new LogBatcher.Limits(2, 1_000_000, NEVER));
    batcher.add(line(1, "a"));
    batcher.add(line(2, "b"));
    batcher.close().join();

    LogChunk last = new ArrayList<>(published).getLast();
    assertThat(last.last()).isTrue();
    assertThat(last.lines()).isEmpty();
    assertThat(last.firstSeq()).isEqualTo(3);
  }

  @Test
  void closeCompletesOnlyWhenEveryChunkIsStored() {
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    LogBatcher batcher =
        new LogBatcher(
            1,
            new LogBatcher.Limits(1, 1_000_000, NEVER),
            chunk -> {
              CompletableFuture<Void> ack = new CompletableFuture<>();
              acks.add(ack);
              return ack;
            },
            timer);
    batcher.add(line(1, "a"));
    CompletableFuture<Void> closed = batcher.close();

    acks.getLast().complete(null);
    assertThat(closed).isNotDone();
    acks.getFirst().complete(null);
    assertThat(closed).isCompleted();
  }

  @Test
  void closeFailsWhenAnEarlierChunkWasNotStored() {
    LogBatcher batcher =
        new LogBatcher(
            1,
            new LogBatcher.Limits(1, 1_000_000, NEVER),
            chunk ->
                chunk.last()
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new IllegalStateException("broker down")),
            timer);
    batcher.add(line(1, "a"));

    assertThat(batcher.close()).isCompletedExceptionally();
  }

  @Test
  void lineOutOfOrderIsRefused() {
    LogBatcher batcher = batcher(new LogBatcher.Limits(10, 1_000_000, NEVER));
    batcher.add(line(1, "a"));

    assertThatThrownBy(() -> batcher.add(line(3, "c")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 2");
  }

  private LogBatcher batcher(LogBatcher.Limits limits) {
    return new LogBatcher(
        1,
        limits,
        chunk -> {
          published.add(chunk);
          return CompletableFuture.completedFuture(null);
        },
        timer);
  }

  private static LogLine line(long seq, String text) {
    return new LogLine(seq, Instant.EPOCH, LogStream.STDOUT, null, text);
  }
}
