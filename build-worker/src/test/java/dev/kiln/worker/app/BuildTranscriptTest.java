package dev.kiln.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.LogChunk;
import dev.kiln.contracts.events.LogLine;
import dev.kiln.contracts.events.LogStream;
import dev.kiln.contracts.events.StepFinished;
import dev.kiln.contracts.events.StepStarted;
import dev.kiln.worker.domain.BuildahOutputParser;
import dev.kiln.worker.domain.LineCap;
import dev.kiln.worker.domain.LogSequencer;
import dev.kiln.worker.domain.SecretMask;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuildTranscriptTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ConcurrentLinkedQueue<Event> published = new ConcurrentLinkedQueue<>();
  private final EventSink sink =
      (buildId, event) -> {
        published.add(event);
        return CompletableFuture.completedFuture(null);
      };

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @Test
  void linesOfBothStreamsShareOneDenseSequenceInTheirOwnOrder() throws Exception {
    BuildTranscript transcript =
        transcript(new LogBatcher.Limits(100, 1_000_000, Duration.ofMillis(5)));
    int perStream = 5_000;
    Thread stdout = writer(transcript, LogStream.STDOUT, perStream);
    Thread stderr = writer(transcript, LogStream.STDERR, perStream);
    stdout.join();
    stderr.join();
    long lastSeq = transcript.close(false).join();

    List<LogLine> lines = chunks().stream().flatMap(chunk -> chunk.lines().stream()).toList();
    assertThat(lastSeq).isEqualTo(2L * perStream);
    assertThat(lines)
        .extracting(LogLine::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, lastSeq).boxed().toList());
    for (LogStream stream : List.of(LogStream.STDOUT, LogStream.STDERR)) {
      assertThat(lines.stream().filter(line -> line.stream() == stream).map(LogLine::text))
          .containsExactlyElementsOf(
              LongStream.range(0, perStream).mapToObj(i -> stream + " " + i).toList());
    }
    assertThat(published.stream().filter(LogChunk.class::isInstance).map(LogChunk.class::cast))
        .as("chunks leave in seq order")
        .containsExactlyElementsOf(chunks());
    assertThat(chunks()).filteredOn(LogChunk::last).singleElement().isEqualTo(chunks().getLast());
  }

  @Test
  void stepsArePublishedAsTheirLinesArriveAndTheRunningStepEndsFailed() {
    BuildTranscript transcript =
        transcript(new LogBatcher.Limits(500, 1_000_000, Duration.ofHours(1)));
    transcript.line(LogStream.STDOUT, "STEP 1/2: FROM scratch");
    transcript.system("a line of the worker's own");
    transcript.line(LogStream.STDOUT, "STEP 2/2: RUN false");
    transcript.line(LogStream.STDERR, "Error: building at STEP \"RUN false\": exit status 1");
    long lastSeq = transcript.close(true).join();

    assertThat(published).filteredOn(StepStarted.class::isInstance).hasSize(2);
    List<StepFinished> finished =
        published.stream()
            .filter(StepFinished.class::isInstance)
            .map(StepFinished.class::cast)
            .toList();
    assertThat(finished).extracting(StepFinished::step).containsExactly(1, 2);
    assertThat(finished).extracting(StepFinished::failed).containsExactly(false, true);
    assertThat(finished).extracting(StepFinished::seq).containsExactly(2L, 4L);
    assertThat(lastSeq).isEqualTo(4);
    assertThat(chunks().getFirst().lines())
        .extracting(LogLine::stream)
        .containsExactly(LogStream.STDOUT, LogStream.SYSTEM, LogStream.STDOUT, LogStream.STDERR);
  }

  @Test
  void recentLinesKeepTheEndOfTheLog() {
    BuildTranscript transcript =
        transcript(new LogBatcher.Limits(500, 1_000_000, Duration.ofHours(1)));
    for (int i = 1; i <= 100; i++) {
      transcript.line(LogStream.STDOUT, "line " + i);
    }

    List<LogLine> recent = transcript.recentLines();
    assertThat(recent).hasSize(64);
    assertThat(recent.getLast().text()).isEqualTo("line 100");
  }

  @Test
  void secretValuesAreMaskedInEveryStreamIncludingTheWorkersOwnLines() {
    BuildTranscript transcript =
        transcript(
            new BuildTranscript.Limits(
                SecretMask.of(List.of("hunter2")), new LineCap(64 * 1024), 1 << 20));

    transcript.line(LogStream.STDOUT, "the token is hunter2");
    transcript.line(LogStream.STDERR, "hunter2hunter2");
    transcript.system("using hunter2");
    transcript.close(false).join();

    assertThat(texts()).containsExactly("the token is *****", "**********", "using *****");
  }

  @Test
  void aSecretWhereALongLineIsCutIsMaskedBeforeTheCut() {
    String secret = "s3cr3t-value";
    BuildTranscript transcript =
        transcript(
            new BuildTranscript.Limits(SecretMask.of(List.of(secret)), new LineCap(20), 1 << 20));
    // The secret straddles byte 20, where the line is cut: not even its start may show.
    assertThat(transcript.lineBytesToKeep()).isGreaterThanOrEqualTo(20 + secret.length());

    transcript.line(LogStream.STDOUT, "x".repeat(15) + secret + "y".repeat(10));
    transcript.close(false).join();

    assertThat(texts()).containsExactly("x".repeat(15) + "***** … [line cut at 20 bytes]");
  }

  @Test
  void pastItsSizeLimitTheLogEndsWithOneMarkerAndStepsGoOn() {
    BuildTranscript transcript =
        transcript(new BuildTranscript.Limits(SecretMask.NONE, new LineCap(1024), 30));

    transcript.line(LogStream.STDOUT, "STEP 1/2: FROM scratch");
    transcript.line(LogStream.STDOUT, "a line that does not fit");
    transcript.line(LogStream.STDOUT, "nor does this one");
    transcript.line(LogStream.STDOUT, "STEP 2/2: COPY a b");
    long lastSeq = transcript.close(false).join();

    assertThat(texts())
        .containsExactly("STEP 1/2: FROM scratch", "[log truncated: 30 bytes limit reached]");
    assertThat(lastSeq).isEqualTo(2);
    assertThat(published.stream().filter(StepStarted.class::isInstance)).hasSize(2);
  }

  private List<String> texts() {
    return chunks().stream().flatMap(chunk -> chunk.lines().stream()).map(LogLine::text).toList();
  }

  private BuildTranscript transcript(BuildTranscript.Limits limits) {
    LogBatcher batcher =
        new LogBatcher(
            1,
            new LogBatcher.Limits(100, 1 << 20, Duration.ofMillis(5)),
            chunk -> sink.publish("build", chunk),
            timer);
    return new BuildTranscript(
        "build",
        new LogSequencer(new BuildahOutputParser(1)),
        batcher,
        sink,
        Clock.systemUTC(),
        limits);
  }

  private BuildTranscript transcript(LogBatcher.Limits limits) {
    LogBatcher batcher = new LogBatcher(1, limits, chunk -> sink.publish("build", chunk), timer);
    return new BuildTranscript(
        "build",
        new LogSequencer(new BuildahOutputParser(1)),
        batcher,
        sink,
        Clock.systemUTC(),
        new BuildTranscript.Limits(SecretMask.NONE, new LineCap(64 * 1024), 100L << 20));
  }

  private List<LogChunk> chunks() {
    return published.stream()
        .filter(LogChunk.class::isInstance)
        .map(LogChunk.class::cast)
        .sorted(Comparator.comparingLong(LogChunk::firstSeq))
        .toList();
  }

  private static Thread writer(BuildTranscript transcript, LogStream stream, int lines) {
    return Thread.ofPlatform()
        .start(
            () -> {
              for (int i = 0; i < lines; i++) {
                transcript.line(stream, stream + " " + i);
              }
            });
  }
}
