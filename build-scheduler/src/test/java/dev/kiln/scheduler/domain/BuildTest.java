package dev.kiln.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.IllegalTransitionException;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Worker WORKER =
      new Worker(
          "w1",
          Platform.parse("linux/amd64"),
          Map.of(),
          2,
          0,
          NOW.minusSeconds(60),
          NOW,
          false,
          Set.of());

  @Test
  void assignmentGivesTheWorkerALease() {
    Build assigned = queued().assignTo(WORKER, NOW, LEASE);

    assertThat(assigned.state()).isEqualTo(BuildState.ASSIGNED);
    assertThat(assigned.workerId()).isEqualTo("w1");
    assertThat(assigned.workerStartedAt()).isEqualTo(WORKER.startedAt());
    assertThat(assigned.leaseExpiresAt()).isEqualTo(NOW.plus(LEASE));
  }

  @Test
  void lostWorkerRequeuesTheBuildForItsNextAttempt() {
    Build running = queued().assignTo(WORKER, NOW, LEASE).start(NOW, LEASE);

    Build requeued = running.afterWorkerLost(3, NOW);

    assertThat(requeued.state()).isEqualTo(BuildState.QUEUED);
    assertThat(requeued.attempt()).isEqualTo(2);
    assertThat(requeued.workerId()).isNull();
    assertThat(requeued.queuedAt()).isEqualTo(running.queuedAt());
  }

  @Test
  void lostWorkerOnTheLastAttemptEndsInError() {
    Build build = queued();
    for (int attempt = 1; attempt < 3; attempt++) {
      build = build.assignTo(WORKER, NOW, LEASE).afterWorkerLost(3, NOW);
    }

    Build lost = build.assignTo(WORKER, NOW, LEASE).afterWorkerLost(3, NOW);

    assertThat(lost.attempt()).isEqualTo(3);
    assertThat(lost.state()).isEqualTo(BuildState.ERROR);
  }

  @Test
  void lostWorkerOfABuildBeingCancelledCancelsIt() {
    Build cancelling =
        queued().assignTo(WORKER, NOW, LEASE).withStopRequested(CancelReason.USER_REQUESTED, NOW);

    assertThat(cancelling.afterWorkerLost(3, NOW).state()).isEqualTo(BuildState.CANCELLED);
  }

  @Test
  void lostWorkerOfABuildBeingStoppedForItsTimeoutTimesItOut() {
    Build stopping =
        queued()
            .assignTo(WORKER, NOW, LEASE)
            .start(NOW, LEASE)
            .withStopRequested(CancelReason.TIMEOUT, NOW);

    assertThat(stopping.afterWorkerLost(3, NOW).state()).isEqualTo(BuildState.TIMED_OUT);
  }

  @Test
  void requeuedBuildKeepsItsPlaceButStartsANewWait() {
    Instant later = NOW.plusSeconds(90);
    Build requeued = queued().assignTo(WORKER, NOW, LEASE).afterWorkerLost(3, later);

    assertThat(requeued.queuedAt()).isEqualTo(NOW);
    assertThat(requeued.waitingSince()).isEqualTo(later);
  }

  @Test
  void queuedBuildExpires() {
    assertThat(queued().expire(NOW).state()).isEqualTo(BuildState.EXPIRED);
  }

  @Test
  void onlyAnAssignedOrRunningBuildCanBeStopped() {
    assertThatThrownBy(() -> queued().withStopRequested(CancelReason.USER_REQUESTED, NOW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("b1");
  }

  @Test
  void reportCountsOnlyForTheCurrentAttemptOnItsWorker() {
    Build assigned = queued().assignTo(WORKER, NOW, LEASE);

    assertThat(assigned.isCurrentAttempt("w1", 1)).isTrue();
    assertThat(assigned.isCurrentAttempt("w1", 2)).isFalse();
    assertThat(assigned.isCurrentAttempt("w2", 1)).isFalse();
  }

  @Test
  void illegalMoveNamesTheBuild() {
    Build finished = queued().finish(BuildState.CANCELLED, NOW);

    assertThatThrownBy(() -> finished.assignTo(WORKER, NOW, LEASE))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("b1")
        .hasMessageContaining("CANCELLED");
  }

  private static Build queued() {
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            0,
            null);
    return Build.submitted("b1", "alice", spec, NOW, NOW);
  }
}
