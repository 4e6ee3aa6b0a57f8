package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Digest;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildAssigned;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.CancelBuild;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.events.CancelRequested;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.Event;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.spec.BuildLimits;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.messaging.EventPublisher;
import dev.kiln.messaging.KafkaClients;
import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler as its neighbours see it: events in on Kafka, events out on Kafka. */
@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class SchedulerFlowTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Digest IMAGE =
      Digest.parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  private EventPublisher publisher;
  private TopicWatcher watcher;

  @BeforeEach
  void connect() {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    publisher = new EventPublisher(KafkaClients.producerConfig(bootstrap, "scheduler-test"));
    watcher = new TopicWatcher(bootstrap);
  }

  @AfterEach
  void disconnect() {
    watcher.close();
    publisher.close();
  }

  @Test
  void requestedBuildIsAssignedRunAndSucceeds() throws Exception {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    try (TestWorker worker = new TestWorker(publisher, "worker-" + buildId, platform, 2)) {
      request(buildId, platform);
      worker.startHeartbeats();

      await().atMost(WAIT).until(() -> !watcher.commands(buildId).isEmpty());
      BuildAssigned assigned = (BuildAssigned) watcher.commands(buildId).getFirst();
      assertThat(assigned.workerId()).isEqualTo(worker.id());
      assertThat(assigned.attempt()).isEqualTo(1);
      assertThat(assigned.owner()).isEqualTo("alice");
      assertThat(assigned.spec().secrets()).containsEntry("token", "s3cret");
      assertThat(assigned.leaseExpiresAt()).isNotNull();
      await().atMost(WAIT).until(() -> watcher.statuses(buildId).size() >= 2);

      worker.accept(buildId, 1);
      worker.finish(
          buildId,
          1,
          BuildState.SUCCEEDED,
          new ImageInfo(IMAGE, IMAGE, List.of(), 1234, List.of(), false),
          null);

      await().atMost(WAIT).until(() -> watcher.statuses(buildId).size() >= 4);
      List<BuildStatusChanged> statuses = watcher.statuses(buildId);
      assertThat(statuses)
          .extracting(BuildStatusChanged::from, BuildStatusChanged::to, BuildStatusChanged::reason)
          .containsExactly(
              tuple(null, BuildState.QUEUED, "SUBMITTED"),
              tuple(BuildState.QUEUED, BuildState.ASSIGNED, "ASSIGNED"),
              tuple(BuildState.ASSIGNED, BuildState.RUNNING, "STARTED"),
              tuple(BuildState.RUNNING, BuildState.SUCCEEDED, "SUCCEEDED"));
      assertThat(statuses.get(1).workerId()).isEqualTo(worker.id());
      BuildStatusChanged succeeded = statuses.get(3);
      assertThat(succeeded.image().digest()).isEqualTo(IMAGE);
      assertThat(succeeded.lastSeq()).isEqualTo(42L);
      assertThat(succeeded.attempt()).isEqualTo(1);
    }
  }

  @Test
  void cancellingAQueuedBuildCancelsItAtOnce() {
    String buildId = BuildIds.newId();
    request(buildId, uniquePlatform());
    await().atMost(WAIT).until(() -> !watcher.statuses(buildId).isEmpty());

    send(buildId, new CancelRequested("bob", "wrong branch"));

    await().atMost(WAIT).until(() -> watcher.statuses(buildId).size() >= 2);
    BuildStatusChanged cancelled = watcher.statuses(buildId).get(1);
    assertThat(cancelled.from()).isEqualTo(BuildState.QUEUED);
    assertThat(cancelled.to()).isEqualTo(BuildState.CANCELLED);
    assertThat(cancelled.reason()).isEqualTo("CANCELLED_BY_USER");
    assertThat(cancelled.error().message()).contains("bob").contains("wrong branch");
  }

  @Test
  void repeatedRequestForTheSameBuildChangesNothing() {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    request(buildId, platform);
    request(buildId, platform);
    send(buildId, new CancelRequested("bob", null));

    await()
        .atMost(WAIT)
        .until(
            () -> watcher.statuses(buildId).stream().anyMatch(s -> s.to() == BuildState.CANCELLED));
    assertThat(watcher.statuses(buildId))
        .extracting(BuildStatusChanged::to)
        .containsExactly(BuildState.QUEUED, BuildState.CANCELLED);
  }

  @Test
  void cancellingARunningBuildStopsItOnItsWorker() throws Exception {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    try (TestWorker worker = new TestWorker(publisher, "worker-" + buildId, platform, 1)) {
      worker.startHeartbeats();
      runOn(worker, buildId, platform);

      send(buildId, new CancelRequested("bob", null));

      await().atMost(WAIT).until(() -> watcher.commands(buildId).size() >= 2);
      assertThat(watcher.commands(buildId).get(1))
          .isEqualTo(new CancelBuild(worker.id(), 1, CancelReason.USER_REQUESTED));
      worker.acknowledgeCancel(buildId, 1);
      await().atMost(WAIT).until(() -> watcher.statuses(buildId).size() >= 4);
      BuildStatusChanged cancelled = watcher.statuses(buildId).get(3);
      assertThat(cancelled.from()).isEqualTo(BuildState.RUNNING);
      assertThat(cancelled.to()).isEqualTo(BuildState.CANCELLED);
      assertThat(cancelled.lastSeq()).isNull();
    }
  }

  @Test
  void buildOfAWorkerThatStopsHeartbeatingIsRequeuedForItsSecondAttempt() throws Exception {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    try (TestWorker lost = new TestWorker(publisher, "lost-" + buildId, platform, 1)) {
      lost.startHeartbeats();
      request(buildId, platform);
      await().atMost(WAIT).until(() -> !watcher.commands(buildId).isEmpty());
      lost.accept(buildId, 1);
      await().atMost(WAIT).until(() -> watcher.statuses(buildId).size() >= 3);

      lost.stopHeartbeats();

      await().atMost(WAIT).until(() -> watcher.statuses(buildId).size() >= 4);
      BuildStatusChanged requeued = watcher.statuses(buildId).get(3);
      assertThat(requeued.from()).isEqualTo(BuildState.RUNNING);
      assertThat(requeued.to()).isEqualTo(BuildState.QUEUED);
      assertThat(requeued.attempt()).isEqualTo(2);
      assertThat(requeued.reason()).isEqualTo("WORKER_LOST");
      assertThat(requeued.workerId()).isEqualTo(lost.id());
      await().atMost(WAIT).until(() -> watcher.commands(buildId).size() >= 2);
      assertThat(watcher.commands(buildId).get(1))
          .isEqualTo(new CancelBuild(lost.id(), 1, CancelReason.SUPERSEDED));
    }
  }

  @Test
  void buildOfAWorkerThatRestartedWithoutItIsRequeued() throws Exception {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    String workerId = "restarting-" + buildId;
    try (TestWorker before = new TestWorker(publisher, workerId, platform, 1)) {
      before.startHeartbeats();
      request(buildId, platform);
      await().atMost(WAIT).until(() -> !watcher.commands(buildId).isEmpty());
      before.stopHeartbeats();
    }

    try (TestWorker after = new TestWorker(publisher, workerId, platform, 1)) {
      after.startHeartbeats();

      await().atMost(WAIT).until(() -> watcher.statuses(buildId).size() >= 4);
      assertThat(watcher.statuses(buildId))
          .extracting(
              BuildStatusChanged::to, BuildStatusChanged::attempt, BuildStatusChanged::reason)
          .containsExactly(
              tuple(BuildState.QUEUED, 1, "SUBMITTED"),
              tuple(BuildState.ASSIGNED, 1, "ASSIGNED"),
              tuple(BuildState.QUEUED, 2, "WORKER_LOST"),
              tuple(BuildState.ASSIGNED, 2, "ASSIGNED"));
    }
  }

  @Test
  void reportOfAStaleAttemptIsIgnored() throws Exception {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    try (TestWorker lost = new TestWorker(publisher, "lost-" + buildId, platform, 1);
        TestWorker next = new TestWorker(publisher, "next-" + buildId, platform, 1)) {
      lost.startHeartbeats();
      request(buildId, platform);
      await().atMost(WAIT).until(() -> !watcher.commands(buildId).isEmpty());
      lost.stopHeartbeats();
      await()
          .atMost(WAIT)
          .until(() -> watcher.statuses(buildId).stream().anyMatch(s -> s.attempt() == 2));
      next.startHeartbeats();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  watcher.commands(buildId).stream()
                      .anyMatch(c -> c instanceof BuildAssigned a && a.attempt() == 2));

      // The first worker comes back and reports on the attempt it was given before it was lost.
      lost.finish(buildId, 1, BuildState.SUCCEEDED, null, null);
      next.accept(buildId, 2);
      next.finish(
          buildId,
          2,
          BuildState.FAILED,
          null,
          BuildError.of(ErrorCategory.RUN_FAILED, "RUN make exited with 2", null));

      await()
          .atMost(WAIT)
          .until(() -> watcher.statuses(buildId).getLast().to() == BuildState.FAILED);
      List<BuildStatusChanged> statuses = watcher.statuses(buildId);
      assertThat(statuses)
          .extracting(BuildStatusChanged::to, BuildStatusChanged::attempt)
          .containsExactly(
              tuple(BuildState.QUEUED, 1),
              tuple(BuildState.ASSIGNED, 1),
              tuple(BuildState.QUEUED, 2),
              tuple(BuildState.ASSIGNED, 2),
              tuple(BuildState.RUNNING, 2),
              tuple(BuildState.FAILED, 2));
      assertThat(statuses.getLast().reason()).isEqualTo("RUN_FAILED");
      assertThat(statuses.getLast().workerId()).isEqualTo(next.id());
    }
  }

  @Test
  void reportThatBreaksTheStateMachineIsSkippedAndTheNextOneApplies() throws Exception {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    try (TestWorker worker = new TestWorker(publisher, "worker-" + buildId, platform, 1)) {
      worker.startHeartbeats();
      runOn(worker, buildId, platform);

      // Only the scheduler expires builds; a worker saying so breaks the state machine.
      worker.finish(buildId, 1, BuildState.EXPIRED, null, null);
      worker.finish(
          buildId,
          1,
          BuildState.FAILED,
          null,
          BuildError.of(ErrorCategory.RUN_FAILED, "exit 1", null));

      await()
          .atMost(WAIT)
          .until(() -> watcher.statuses(buildId).getLast().to() == BuildState.FAILED);
      assertThat(watcher.statuses(buildId))
          .extracting(BuildStatusChanged::to)
          .containsExactly(
              BuildState.QUEUED, BuildState.ASSIGNED, BuildState.RUNNING, BuildState.FAILED);
    }
  }

  @Test
  void buildPastItsTimeoutIsStoppedOnItsWorkerAndTimesOut() throws Exception {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    try (TestWorker worker = new TestWorker(publisher, "worker-" + buildId, platform, 1)) {
      worker.startHeartbeats();
      request(buildId, platform, 1);
      await().atMost(WAIT).until(() -> !watcher.commands(buildId).isEmpty());
      worker.accept(buildId, 1);

      await().atMost(WAIT).until(() -> watcher.commands(buildId).size() >= 2);
      assertThat(watcher.commands(buildId).get(1))
          .isEqualTo(new CancelBuild(worker.id(), 1, CancelReason.TIMEOUT));
      worker.finish(
          buildId,
          1,
          BuildState.TIMED_OUT,
          null,
          BuildError.of(ErrorCategory.TIMEOUT, "stopped: the build ran past its time limit", null));
      worker.acknowledgeCancel(buildId, 1);

      await()
          .atMost(WAIT)
          .until(() -> watcher.statuses(buildId).getLast().to() == BuildState.TIMED_OUT);
      assertThat(watcher.statuses(buildId))
          .extracting(BuildStatusChanged::to)
          .containsExactly(
              BuildState.QUEUED, BuildState.ASSIGNED, BuildState.RUNNING, BuildState.TIMED_OUT);
      assertThat(watcher.statuses(buildId).getLast().reason()).isEqualTo("TIMEOUT");
    }
  }

  @Test
  void buildPastItsTimeoutWhoseWorkerDiesTimesOutWithoutIt() throws Exception {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    try (TestWorker worker = new TestWorker(publisher, "worker-" + buildId, platform, 1)) {
      worker.startHeartbeats();
      request(buildId, platform, 1);
      await().atMost(WAIT).until(() -> !watcher.commands(buildId).isEmpty());
      worker.accept(buildId, 1);
      await().atMost(WAIT).until(() -> watcher.commands(buildId).size() >= 2);

      worker.stopHeartbeats();

      await()
          .atMost(WAIT)
          .until(() -> watcher.statuses(buildId).getLast().to() == BuildState.TIMED_OUT);
      BuildStatusChanged timedOut = watcher.statuses(buildId).getLast();
      assertThat(timedOut.attempt()).isEqualTo(1);
      assertThat(timedOut.error().category()).isEqualTo(ErrorCategory.TIMEOUT);
      assertThat(timedOut.error().message())
          .startsWith("stopped after running past its timeout of PT1S; its worker");
    }
  }

  @Test
  void cancelThatALiveWorkerNeverConfirmsEndsAfterTheGrace() throws Exception {
    Platform platform = uniquePlatform();
    String buildId = BuildIds.newId();
    try (TestWorker worker = new TestWorker(publisher, "worker-" + buildId, platform, 1)) {
      worker.startHeartbeats();
      runOn(worker, buildId, platform);

      send(buildId, new CancelRequested("bob", null));

      await()
          .atMost(WAIT)
          .until(() -> watcher.statuses(buildId).getLast().to() == BuildState.CANCELLED);
      assertThat(watcher.commands(buildId).get(1))
          .isEqualTo(new CancelBuild(worker.id(), 1, CancelReason.USER_REQUESTED));
      BuildStatusChanged cancelled = watcher.statuses(buildId).getLast();
      assertThat(cancelled.from()).isEqualTo(BuildState.RUNNING);
      assertThat(cancelled.error().message()).contains("did not confirm within PT3S");
    }
  }

  @Test
  void buildThatNoWorkerTakesExpiresAfterTheQueueTimeToLive() {
    String buildId = BuildIds.newId();
    request(buildId, uniquePlatform());

    await()
        .atMost(WAIT)
        .until(
            () ->
                !watcher.statuses(buildId).isEmpty()
                    && watcher.statuses(buildId).getLast().to() == BuildState.EXPIRED);
    BuildStatusChanged expired = watcher.statuses(buildId).getLast();
    assertThat(expired.from()).isEqualTo(BuildState.QUEUED);
    assertThat(expired.reason()).isEqualTo("QUEUE_EXPIRED");
    assertThat(expired.error().category()).isEqualTo(ErrorCategory.QUEUE_EXPIRED);
  }

  /** Requests a build that only {@code worker} can take, and waits until it runs there. */
  private void runOn(TestWorker worker, String buildId, Platform platform) {
    request(buildId, platform);
    await().atMost(WAIT).until(() -> !watcher.commands(buildId).isEmpty());
    worker.accept(buildId, 1);
    await().atMost(WAIT).until(() -> watcher.statuses(buildId).size() >= 3);
  }

  private void request(String buildId, Platform platform) {
    request(buildId, platform, null);
  }

  private void request(String buildId, Platform platform, Integer timeoutSeconds) {
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM busybox\nRUN --mount=type=secret,id=token true"),
            null,
            null,
            null,
            null,
            false,
            new BuildOptions(false, null, false, platform, null),
            Map.of("token", "s3cret"),
            new BuildLimits(null, null, timeoutSeconds),
            0,
            null);
    send(buildId, new BuildRequested(spec, "alice"));
  }

  private void send(String buildId, Event event) {
    publisher.publishAndWait(Envelope.of(buildId, event), WAIT);
  }

  /** A platform no other test's worker has, so that each test's builds go to its own workers. */
  static Platform uniquePlatform() {
    return new Platform("linux", "amd64", "t" + ThreadLocalRandom.current().nextInt(1_000_000_000));
  }
}
