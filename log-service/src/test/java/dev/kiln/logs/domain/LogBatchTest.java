package dev.kiln.logs.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBatchTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void eachBuildKeepsItsNewestStatusEvenWhenAnOlderOneComesLater() {
    BuildStatus running = status(BuildState.RUNNING, 1);
    BuildStatus requeued = status(BuildState.QUEUED, 2);
    BuildStatus other = status(BuildState.ASSIGNED, 1);

    LogBatch batch =
        LogBatch.of(
            List.of(
                event("a", running), event("b", other), event("a", requeued), event("a", running)));

    assertThat(batch.statuses())
        .containsExactly(
            new LogBatch.LatestStatus("a", requeued), new LogBatch.LatestStatus("b", other));
  }

  @Test
  void aLastChunkTellsItsAttemptsFinalSeqEvenWhenEmpty() {
    LogEntry line = new LogEntry(1, 4, T0, "stdout", 2, "done");
    LogBatch batch =
        LogBatch.of(
            List.of(
                new LogBatch.BuildEvent("a", new LogEvent.Lines(1, 4, List.of(line), true)),
                new LogBatch.BuildEvent("b", new LogEvent.Lines(3, 8, List.of(), true))));

    assertThat(batch.lines()).containsExactly(new LogBatch.BuildLine("a", line));
    assertThat(batch.finals())
        .containsExactly(new LogBatch.AttemptEnd("a", 1, 4), new LogBatch.AttemptEnd("b", 3, 7));
  }

  @Test
  void linesKeepNoNulCharacterAndMicrosecondTime() {
    LogEntry entry =
        new LogEntry(1, 1, Instant.parse("2026-01-01T00:00:00.123456789Z"), "stdout", null, "a\0b");

    assertThat(entry.text()).isEqualTo("a\uFFFDb");
    assertThat(entry.ts()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
  }

  private static LogBatch.BuildEvent event(String buildId, BuildStatus status) {
    return new LogBatch.BuildEvent(buildId, new LogEvent.Status(status));
  }

  private static BuildStatus status(BuildState to, int attempt) {
    return new BuildStatus(null, to, attempt, null, null, null, T0);
  }
}
