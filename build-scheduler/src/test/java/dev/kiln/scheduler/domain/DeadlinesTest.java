package dev.kiln.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.spec.BuildLimits;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final Duration TTL = Duration.ofHours(24);
  private static final Duration GRACE = Duration.ofSeconds(30);
  private final Deadlines deadlines = new Deadlines(Duration.ofSeconds(15), TTL, GRACE);

  @Test
  void runningBuildPastItsTimeoutIsToBeStopped() {
    Build running = running(60);

    assertThat(
            deadlines.check(
                running, aliveAt(T0.plusSeconds(60)), T0.plusSeconds(60), T0.plusSeconds(60)))
        .isEmpty();
    assertThat(
            deadlines.check(
                running, aliveAt(T0.plusSeconds(61)), T0.plusSeconds(61), T0.plusSeconds(61)))
        .contains(new Overdue.PastTimeout(Duration.ofSeconds(60)));
  }

  @Test
  void timeoutCountsFromRunningNotFromTheQueue() {
    Build queuedLong =
        Build.submitted("b1", "alice", spec(60), T0.minusSeconds(3600), T0.minusSeconds(3600));
    Build running = queuedLong.assignTo(worker(T0), T0, LEASE).start(T0, Duration.ofDays(3));

    assertThat(
            deadlines.check(
                running, aliveAt(T0.plusSeconds(30)), T0.plusSeconds(30), T0.plusSeconds(30)))
        .isEmpty();
  }

  @Test
  void buildWithoutTimeoutRunsAsLongAsItsWorkerLives() {
    Build running =
        Build.submitted("b1", "alice", spec(null), T0, T0)
            .assignTo(worker(T0), T0, LEASE)
            .start(T0, LEASE);
    Instant muchLater = T0.plus(Duration.ofDays(2));
    Build extended =
        new Build(
            running.id(),
            running.owner(),
            running.spec(),
            running.state(),
            running.attempt(),
            running.workerId(),
            running.workerStartedAt(),
            muchLater.plus(LEASE),
            null,
            running.createdAt(),
            running.queuedAt(),
            running.waitingSince(),
            running.assignedAt(),
            running.startedAt(),
            null);

    assertThat(deadlines.check(extended, aliveAt(muchLater), muchLater, muchLater)).isEmpty();
  }

  @Test
  void stopThatIsNotConfirmedWithinTheGraceIsOverdue() {
    Build stopping = running(60).withStopRequested(CancelReason.USER_REQUESTED, T0.plusSeconds(5));

    assertThat(
            deadlines.check(
                stopping, aliveAt(T0.plusSeconds(35)), T0.plusSeconds(35), T0.plusSeconds(35)))
        .isEmpty();
    assertThat(
            deadlines.check(
                stopping, aliveAt(T0.plusSeconds(36)), T0.plusSeconds(36), T0.plusSeconds(36)))
        .contains(new Overdue.StopUnconfirmed(GRACE));
  }

  @Test
  void buildBeingStoppedIsNotToldToStopAgainForItsTimeout() {
    Build stopping = running(10).withStopRequested(CancelReason.TIMEOUT, T0.plusSeconds(11));

    assertThat(
            deadlines.check(
                stopping, aliveAt(T0.plusSeconds(20)), T0.plusSeconds(20), T0.plusSeconds(20)))
        .isEmpty();
  }

  @Test
  void lostWorkerComesBeforeEverythingElse() {
    Build stopping = running(10).withStopRequested(CancelReason.TIMEOUT, T0.plusSeconds(11));

    assertThat(deadlines.check(stopping, aliveAt(T0), T0.plusSeconds(50), T0.plusSeconds(50)))
        .contains(new Overdue.WorkerLost(LossCause.WORKER_SILENT));
  }

  @Test
  void workerIsJudgedByWhatWasHeardNotByTheClock() {
    Build stopping = running(10).withStopRequested(CancelReason.TIMEOUT, T0.plusSeconds(11));
    Instant now = T0.plusSeconds(50);

    assertThat(deadlines.check(stopping, aliveAt(T0), now, T0.plusSeconds(15)))
        .as("heartbeats after the last one applied may still wait in the broker")
        .contains(new Overdue.StopUnconfirmed(GRACE));
    assertThat(deadlines.check(stopping, aliveAt(T0), now, T0.plusSeconds(16)))
        .contains(new Overdue.WorkerLost(LossCause.WORKER_SILENT));
  }

  @Test
  void timeoutIsJudgedByTheClockWhateverWasHeard() {
    Build running = running(60);

    assertThat(deadlines.check(running, aliveAt(T0), T0.plusSeconds(61), Instant.MIN))
        .contains(new Overdue.PastTimeout(Duration.ofSeconds(60)));
  }

  @Test
  void finishedBuildIsNeverOverdue() {
    Build cancelled =
        running(10)
            .withStopRequested(CancelReason.USER_REQUESTED, T0.plusSeconds(1))
            .finishStopped(T0.plusSeconds(2));

    assertThat(
            deadlines.check(
                cancelled, aliveAt(T0), T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(2))))
        .isEmpty();
  }

  @Test
  void buildQueuedPastTheTimeToLiveExpires() {
    Build queued = Build.submitted("b1", "alice", spec(null), T0, T0);

    assertThat(deadlines.check(queued, null, T0.plus(TTL), T0.plus(TTL))).isEmpty();
    assertThat(
            deadlines.check(queued, null, T0.plus(TTL).plusMillis(1), T0.plus(TTL).plusMillis(1)))
        .contains(new Overdue.QueueExpired(TTL));
  }

  @Test
  void requeuedBuildGetsAWholeNewTimeToLive() {
    Instant requeuedAt = T0.plus(TTL).minusSeconds(60);
    Build requeued =
        Build.submitted("b1", "alice", spec(null), T0, T0)
            .assignTo(worker(T0), T0, LEASE)
            .afterWorkerLost(3, requeuedAt);

    assertThat(
            deadlines.check(
                requeued, null, T0.plus(TTL).plusSeconds(60), T0.plus(TTL).plusSeconds(60)))
        .isEmpty();
  }

  private static Build running(int timeoutSeconds) {
    return Build.submitted("b1", "alice", spec(timeoutSeconds), T0, T0)
        .assignTo(worker(T0), T0, LEASE)
        .start(T0, Duration.ofDays(3));
  }

  /** The worker of the build, its newest heartbeat at {@code lastSeen}, listing the attempt. */
  private static Worker aliveAt(Instant lastSeen) {
    return new Worker(
        "w1",
        Platform.parse("linux/amd64"),
        Map.of(),
        2,
        1,
        T0.minusSeconds(600),
        lastSeen,
        false,
        Set.of(new dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt("b1", 1)));
  }

  private static Worker worker(Instant lastSeen) {
    return aliveAt(lastSeen);
  }

  private static BuildSpec spec(Integer timeoutSeconds) {
    return new BuildSpec(
        BuildSource.ofDockerfile("FROM scratch"),
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        new BuildLimits(null, null, timeoutSeconds),
        0,
        null);
  }
}
