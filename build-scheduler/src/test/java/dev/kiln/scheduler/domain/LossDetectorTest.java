package dev.kiln.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LossDetectorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final Instant BOOT = T0.minusSeconds(600);
  private static final Duration LEASE = Duration.ofSeconds(30);
  private final LossDetector detector = new LossDetector(Duration.ofSeconds(15));

  @Test
  void attemptOnALiveWorkerWithinItsLeaseIsNotLost() {
    Build build = assigned();

    assertThat(
            detector.check(build, worker(BOOT, T0.plusSeconds(10), Set.of()), T0.plusSeconds(10)))
        .isEmpty();
  }

  @Test
  void assignedAttemptNotAcceptedBeforeItsLeaseEndsIsLost() {
    Instant later = T0.plusSeconds(31);

    assertThat(detector.check(assigned(), worker(BOOT, later, Set.of()), later))
        .contains(LossCause.LEASE_EXPIRED);
  }

  @Test
  void attemptOnAWorkerWhoseHeartbeatsStoppedIsLost() {
    Instant later = T0.plusSeconds(16);

    assertThat(detector.check(assigned(), worker(BOOT, T0, Set.of()), later))
        .contains(LossCause.WORKER_SILENT);
    assertThat(detector.check(assigned(), null, later)).contains(LossCause.WORKER_SILENT);
  }

  @Test
  void silenceIsCountedUpToWhatWasHeardNotUpToTheClock() {
    Build running = assigned().start(T0, LEASE);
    Worker quiet = worker(BOOT, T0, Set.of(new RunningAttempt("b1", 1)));

    assertThat(detector.check(running, quiet, T0.plusSeconds(15)))
        .as("heard for exactly the worker timeout since its last heartbeat")
        .isEmpty();
    assertThat(detector.check(running, quiet, T0.plusSeconds(15).plusMillis(1)))
        .contains(LossCause.WORKER_SILENT);
  }

  @Test
  void leaseEndsOnlyOnceWhatWasSentBeforeItsEndIsHeard() {
    Build running = assigned().start(T0, LEASE);
    Worker lively = worker(BOOT, T0.plusSeconds(40), Set.of());

    assertThat(detector.check(running, lively, T0.plusSeconds(30))).isEmpty();
    assertThat(detector.check(running, lively, T0.plusSeconds(31)))
        .contains(LossCause.LEASE_EXPIRED);
  }

  @Test
  void nothingIsSilentOrExpiredBeforeAnythingIsHeard() {
    Build running = assigned().start(T0, LEASE);

    assertThat(detector.check(running, worker(BOOT, T0, Set.of()), Instant.MIN)).isEmpty();
  }

  @Test
  void restartIsJudgedEvenBeforeAnythingIsHeard() {
    Worker restarted = worker(T0.plusSeconds(2), T0.plusSeconds(3), Set.of());

    assertThat(detector.check(assigned(), restarted, Instant.MIN))
        .contains(LossCause.WORKER_RESTARTED);
  }

  @Test
  void attemptOnARestartedWorkerThatDoesNotRunItIsLost() {
    Worker restarted = worker(T0.plusSeconds(2), T0.plusSeconds(3), Set.of());

    assertThat(detector.check(assigned(), restarted, T0.plusSeconds(3)))
        .contains(LossCause.WORKER_RESTARTED);
  }

  @Test
  void attemptThatARestartedWorkerStillRunsIsKept() {
    Worker restarted =
        worker(T0.plusSeconds(2), T0.plusSeconds(3), Set.of(new RunningAttempt("b1", 1)));

    assertThat(detector.check(assigned(), restarted, T0.plusSeconds(3))).isEmpty();
  }

  @Test
  void queuedBuildIsNeverLost() {
    Build queued = Build.submitted("b1", "alice", spec(), T0, T0);

    assertThat(detector.check(queued, null, T0.plusSeconds(3600))).isEmpty();
  }

  private static Build assigned() {
    return Build.submitted("b1", "alice", spec(), T0, T0)
        .assignTo(worker(BOOT, T0, Set.of()), T0, LEASE);
  }

  private static Worker worker(Instant startedAt, Instant lastSeen, Set<RunningAttempt> running) {
    return new Worker(
        "w1", Platform.parse("linux/amd64"), Map.of(), 2, 1, startedAt, lastSeen, false, running);
  }

  private static BuildSpec spec() {
    return new BuildSpec(
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
  }
}
