package dev.kiln.logs.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LogStreamCursorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(30);

  private final List<StreamMessage> sent = new ArrayList<>();

  private LogStreamCursor cursor(long after) {
    return new LogStreamCursor(after, null, GRACE, Duration.ZERO, 10_000, sent::add);
  }

  @Test
  void liveLinesOverlappingTheReplayAreSentOnce() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.replayed(lines(1, 1, 10), T0);
    cursor.live(chunk(1, 8, 15, false), T0);

    assertThat(seqs()).containsExactlyElementsOf(range(1, 15));
    assertThat(cursor.missing()).isEmpty();
  }

  @Test
  void liveLinesAheadOfTheReplayWaitUntilTheGapIsRead() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.live(chunk(1, 11, 20, false), T0);

    assertThat(seqs()).isEmpty();
    assertThat(cursor.missing()).contains(new LogStreamCursor.Gap(1, 0, 20));

    cursor.replayed(lines(1, 1, 10), T0);

    assertThat(seqs()).containsExactlyElementsOf(range(1, 20));
    assertThat(cursor.missing()).isEmpty();
  }

  @Test
  void chunksArrivingOutOfOrderLeaveNoGapAndNoRepeat() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.live(chunk(1, 21, 30, false), T0);
    cursor.live(chunk(1, 11, 20, false), T0);
    cursor.live(chunk(1, 1, 10, false), T0);
    cursor.live(chunk(1, 11, 20, false), T0);

    assertThat(seqs()).containsExactlyElementsOf(range(1, 30));
  }

  @Test
  void aGapFilledInPartsByTheDatabaseIsAskedForUntilWhole() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.replayed(lines(1, 1, 3), T0);
    cursor.live(chunk(1, 9, 12, false), T0);
    assertThat(cursor.missing()).contains(new LogStreamCursor.Gap(1, 3, 12));

    cursor.replayed(List.of(), T0);
    assertThat(cursor.missing()).contains(new LogStreamCursor.Gap(1, 3, 12));

    cursor.replayed(lines(1, 4, 6), T0);
    assertThat(cursor.missing()).contains(new LogStreamCursor.Gap(1, 6, 12));

    cursor.replayed(lines(1, 7, 12), T0);
    assertThat(cursor.missing()).isEmpty();
    assertThat(seqs()).containsExactlyElementsOf(range(1, 12));
  }

  @Test
  void linesDroppedBeyondTheAheadLimitAreReadFromTheDatabase() {
    LogStreamCursor cursor = new LogStreamCursor(0, null, GRACE, Duration.ZERO, 5, sent::add);
    cursor.status(running(1), T0);
    cursor.live(chunk(1, 5, 40, false), T0);

    assertThat(cursor.missing()).contains(new LogStreamCursor.Gap(1, 0, 40));
    cursor.replayed(lines(1, 1, 4), T0);
    assertThat(seqs()).containsExactlyElementsOf(range(1, 9));
    assertThat(cursor.missing()).contains(new LogStreamCursor.Gap(1, 9, 40));

    cursor.replayed(lines(1, 10, 40), T0);
    assertThat(seqs()).containsExactlyElementsOf(range(1, 40));
  }

  @Test
  void resumingAfterASeqSendsOnlyTheLinesAfterIt() {
    LogStreamCursor cursor = cursor(7);
    cursor.status(running(1), T0);
    cursor.live(chunk(1, 1, 9, false), T0);
    cursor.replayed(lines(1, 8, 12), T0);

    assertThat(seqs()).containsExactlyElementsOf(range(8, 12));
  }

  @Test
  void theStatusIsSentFirstAndTheEndAfterTheLastLine() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.replayed(lines(1, 1, 5), T0);
    cursor.status(finished(1, BuildState.SUCCEEDED, 8L), T0);
    assertThat(cursor.ended()).isFalse();

    cursor.live(chunk(1, 6, 8, true), T0);

    assertThat(sent.getFirst()).isInstanceOf(StreamMessage.Status.class);
    assertThat(sent.getLast()).isEqualTo(new StreamMessage.End(BuildState.SUCCEEDED));
    assertThat(seqs()).containsExactlyElementsOf(range(1, 8));
    assertThat(cursor.ended()).isTrue();
  }

  @Test
  void anEndedBuildWhoseLastLineIsKnownWaitsForTheMissingLines() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(finished(1, BuildState.FAILED, 6L), T0);
    cursor.replayed(lines(1, 1, 4), T0);
    cursor.caughtUp(T0);
    cursor.tick(T0.plus(Duration.ofMinutes(5)));

    assertThat(cursor.ended()).isFalse();
    assertThat(cursor.missing()).contains(new LogStreamCursor.Gap(1, 4, 6));

    cursor.replayed(lines(1, 5, 6), T0);
    assertThat(cursor.ended()).isTrue();
  }

  @Test
  void aBuildCancelledBeforeAnyLineEndsRightAfterItsStatus() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(finished(1, BuildState.CANCELLED, null), T0);
    assertThat(cursor.ended()).isFalse();

    cursor.caughtUp(T0);

    assertThat(sent).extracting(m -> m.getClass().getSimpleName()).containsExactly("Status", "End");
  }

  @Test
  void anEndedBuildWithoutALastSeqEndsAfterTheGrace() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(finished(1, BuildState.ERROR, null), T0);
    cursor.replayed(lines(1, 1, 3), T0);
    cursor.caughtUp(T0);
    cursor.tick(T0.plusSeconds(29));
    assertThat(cursor.ended()).isFalse();

    cursor.tick(T0.plusSeconds(30));

    assertThat(cursor.ended()).isTrue();
    assertThat(seqs()).containsExactlyElementsOf(range(1, 3));
  }

  @Test
  void anEmptyLastChunkEndsTheLogBeforeItsFirstSeq() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(finished(1, BuildState.SUCCEEDED, null), T0);
    cursor.replayed(lines(1, 1, 4), T0);
    cursor.live(new LogEvent.Lines(1, 5, List.of(), true), T0);

    assertThat(cursor.ended()).isTrue();
    assertThat(seqs()).containsExactlyElementsOf(range(1, 4));
  }

  @Test
  void stepsArrivingJustAfterTheLastLineAreSentBeforeTheEnd() {
    LogStreamCursor cursor =
        new LogStreamCursor(0, null, GRACE, Duration.ofMillis(500), 10_000, sent::add);
    cursor.status(finished(1, BuildState.SUCCEEDED, 3L), T0);
    cursor.replayed(lines(1, 1, 3), T0);
    assertThat(cursor.ending()).isTrue();
    assertThat(cursor.endsAt()).isEqualTo(T0.plusMillis(500));

    cursor.live(new LogEvent.Step(finished(1, 3)), T0.plusMillis(200));
    cursor.tick(T0.plusMillis(499));
    assertThat(cursor.ended()).isFalse();
    cursor.tick(T0.plusMillis(500));

    assertThat(sent.stream().skip(1).map(LogStreamCursorTest::describe))
        .containsExactly("1", "2", "3", "finished 1", "end SUCCEEDED");
  }

  @Test
  void linesSkippedForASlowStreamAreReadFromTheDatabase() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.live(chunk(1, 1, 10, false), T0);
    cursor.live(new LogEvent.LinesSkipped(1, 30, true), T0);

    assertThat(cursor.missing()).contains(new LogStreamCursor.Gap(1, 10, 30));
    cursor.replayed(lines(1, 11, 30), T0);
    cursor.status(finished(1, BuildState.SUCCEEDED, null), T0);

    assertThat(seqs()).containsExactlyElementsOf(range(1, 30));
    assertThat(cursor.ended()).isTrue();
  }

  @Test
  void stepsAreSentRightAfterTheLineTheyNameAndOnlyOnce() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    StepEvent first = started(1, 1);
    StepEvent firstDone = finished(1, 4);
    StepEvent second = started(2, 5);
    cursor.steps(List.of(second, first));
    cursor.live(new LogEvent.Step(firstDone), T0);
    cursor.replayed(lines(1, 1, 6), T0);
    cursor.live(new LogEvent.Step(second), T0);

    assertThat(sent.stream().skip(1).map(LogStreamCursorTest::describe))
        .containsExactly("1", "started 1", "2", "3", "4", "finished 1", "5", "started 2", "6");
  }

  @Test
  void aStepKnownOnlyAfterItsLineWasSentIsSentAtOnce() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.replayed(lines(1, 1, 5), T0);
    cursor.live(new LogEvent.Step(started(1, 2)), T0);

    assertThat(describe(sent.getLast())).isEqualTo("started 1");
  }

  @Test
  void stepsAtOrBeforeTheResumedSeqAreNotSentAgain() {
    LogStreamCursor cursor = cursor(5);
    cursor.status(running(1), T0);
    cursor.steps(List.of(started(1, 1), finished(1, 5), started(2, 6)));
    cursor.replayed(lines(1, 6, 6), T0);

    assertThat(sent.stream().skip(1).map(LogStreamCursorTest::describe))
        .containsExactly("6", "started 2");
  }

  @Test
  void aNewAttemptRestartsTheStreamAtItsFirstLine() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.replayed(lines(1, 1, 5), T0);
    cursor.status(
        new BuildStatus(BuildState.RUNNING, BuildState.QUEUED, 2, "WORKER_LOST", null, null, T0),
        T0);
    cursor.live(chunk(1, 6, 8, false), T0);
    cursor.live(chunk(2, 1, 3, false), T0);

    List<String> described = sent.stream().map(LogStreamCursorTest::describe).toList();
    assertThat(described)
        .containsExactly(
            "status 1 RUNNING", "1", "2", "3", "4", "5", "status 2 QUEUED", "2:1", "2:2", "2:3");
  }

  @Test
  void linesOfANewerAttemptWaitForItsStatus() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.live(chunk(2, 1, 3, false), T0);

    assertThat(seqs()).isEmpty();
  }

  @Test
  void anOlderStatusReadFromALaggingDatabaseIsIgnored() {
    LogStreamCursor cursor = cursor(0);
    cursor.status(running(1), T0);
    cursor.status(
        new BuildStatus(BuildState.QUEUED, BuildState.ASSIGNED, 1, null, "w1", null, T0), T0);
    cursor.status(running(1), T0);

    assertThat(sent).hasSize(1);
  }

  @Test
  void afterNamingAnOlderAttemptStartsTheCurrentAttemptAtItsFirstLine() {
    LogStreamCursor cursor = new LogStreamCursor(9, 1, GRACE, Duration.ZERO, 10_000, sent::add);
    cursor.status(running(2), T0);
    cursor.replayed(lines(2, 1, 3), T0);

    assertThat(seqs()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void anyArrivalOrderOfLivePagesAndChunksGivesEveryLineOnceInOrder() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      sent.clear();
      int total = 1 + random.nextInt(300);
      long after = random.nextInt(4) == 0 ? random.nextInt(total) : 0;
      LogStreamCursor cursor =
          new LogStreamCursor(after, null, GRACE, Duration.ZERO, 1 + random.nextInt(50), sent::add);
      cursor.status(running(1), T0);
      List<LogEvent.Lines> chunks = new ArrayList<>();
      for (long seq = 1; seq <= total; ) {
        long last = Math.min(total, seq + random.nextInt(20));
        chunks.add(chunk(1, seq, last, last == total));
        seq = last + 1;
      }
      // The database stores chunks in order; live delivery may start anywhere and repeat.
      int stored = 0;
      int live = random.nextInt(chunks.size());
      cursor.status(finished(1, BuildState.SUCCEEDED, (long) total), T0);
      while (!cursor.ended()) {
        int move = random.nextInt(3);
        if (move == 0 && stored < chunks.size()) {
          stored++;
        } else if (move == 1 && live < chunks.size()) {
          cursor.live(chunks.get(live++), T0);
        } else {
          long from = cursor.lastSent();
          List<LogEntry> page =
              chunks.subList(0, stored).stream()
                  .flatMap(c -> c.lines().stream())
                  .filter(line -> line.seq() > from)
                  .limit(1 + random.nextInt(40))
                  .toList();
          cursor.replayed(page, T0);
        }
      }
      assertThat(seqs()).containsExactlyElementsOf(range(after + 1, total));
      assertThat(sent.getLast()).isInstanceOf(StreamMessage.End.class);
    }
  }

  private List<Long> seqs() {
    return sent.stream()
        .filter(StreamMessage.Line.class::isInstance)
        .map(m -> ((StreamMessage.Line) m).entry().seq())
        .toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static List<LogEntry> lines(int attempt, long from, long to) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(seq -> new LogEntry(attempt, seq, T0, "stdout", null, "line " + seq))
        .toList();
  }

  private static LogEvent.Lines chunk(int attempt, long from, long to, boolean last) {
    return new LogEvent.Lines(attempt, from, lines(attempt, from, to), last);
  }

  private static BuildStatus running(int attempt) {
    return new BuildStatus(BuildState.ASSIGNED, BuildState.RUNNING, attempt, null, "w1", null, T0);
  }

  private static BuildStatus finished(int attempt, BuildState state, Long lastSeq) {
    return new BuildStatus(BuildState.RUNNING, state, attempt, null, "w1", lastSeq, T0);
  }

  private static StepEvent started(int step, long seq) {
    return new StepEvent(
        StepEvent.Kind.STARTED,
        1,
        step,
        1,
        1,
        step,
        3,
        "RUN " + step,
        null,
        null,
        null,
        null,
        null,
        seq);
  }

  private static StepEvent finished(int step, long seq) {
    return new StepEvent(
        StepEvent.Kind.FINISHED,
        1,
        step,
        1,
        1,
        step,
        3,
        "RUN " + step,
        null,
        false,
        false,
        5L,
        null,
        seq);
  }

  private static String describe(StreamMessage message) {
    return switch (message) {
      case StreamMessage.Line line ->
          line.entry().attempt() == 1
              ? String.valueOf(line.entry().seq())
              : line.entry().attempt() + ":" + line.entry().seq();
      case StreamMessage.Step step -> step.step().kind().label() + " " + step.step().step();
      case StreamMessage.Status status ->
          "status " + status.status().attempt() + " " + status.status().to();
      case StreamMessage.End end -> "end " + end.status();
    };
  }
}
