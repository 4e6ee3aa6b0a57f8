package dev.kiln.logs.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttemptProgressTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(30);

  @Test
  void aRunningBuildsLogIsNotComplete() {
    assertThat(
            new AttemptProgress(1, 10, 10L)
                .complete(status(BuildState.RUNNING, 1, null), T0, GRACE))
        .isFalse();
  }

  @Test
  void anEndedBuildsLogIsCompleteOnceEveryLineUpToTheFinalSeqIsStored() {
    Optional<BuildStatus> ended = status(BuildState.SUCCEEDED, 1, 10L);

    assertThat(new AttemptProgress(1, 9, null).complete(ended, T0, GRACE)).isFalse();
    assertThat(new AttemptProgress(1, 10, null).complete(ended, T0, GRACE)).isTrue();
    assertThat(
            new AttemptProgress(1, 9, 9L).complete(status(BuildState.FAILED, 1, null), T0, GRACE))
        .isTrue();
  }

  @Test
  void aBuildThatEndedBeforeAnyLineIsComplete() {
    assertThat(AttemptProgress.none(1).complete(status(BuildState.CANCELLED, 1, null), T0, GRACE))
        .isTrue();
  }

  @Test
  void anEndedBuildWithoutAFinalSeqIsCompleteAfterTheGrace() {
    Optional<BuildStatus> lost = status(BuildState.ERROR, 1, null);
    AttemptProgress progress = new AttemptProgress(1, 5, null);

    assertThat(progress.complete(lost, T0.plusSeconds(29), GRACE)).isFalse();
    assertThat(progress.complete(lost, T0.plusSeconds(30), GRACE)).isTrue();
  }

  @Test
  void anUnknownBuildsLogIsNotComplete() {
    assertThat(new AttemptProgress(1, 5, 5L).complete(Optional.empty(), T0, GRACE)).isFalse();
  }

  @Test
  void anAttemptReplacedByANewerOneIsCompleteUnlessLinesUpToItsFinalSeqAreMissing() {
    Optional<BuildStatus> requeued = status(BuildState.QUEUED, 2, null);

    assertThat(new AttemptProgress(1, 5, null).complete(requeued, T0, GRACE)).isTrue();
    assertThat(new AttemptProgress(1, 5, 8L).complete(requeued, T0, GRACE)).isFalse();
  }

  private static Optional<BuildStatus> status(BuildState to, int attempt, Long lastSeq) {
    return Optional.of(new BuildStatus(null, to, attempt, null, null, lastSeq, T0));
  }
}
