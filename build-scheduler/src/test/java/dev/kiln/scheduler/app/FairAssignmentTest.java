package dev.kiln.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.WorkerHeartbeat;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.scheduler.domain.Build;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fair share, labels and cache affinity as the assigner applies them to a real queue in PostgreSQL:
 * the query that picks the queue's head and the policy that orders it together.
 */
class FairAssignmentTest {
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration AFFINITY_WAIT = Duration.ofSeconds(10);

  private final TestClock clock = new TestClock(T0);
  private SchedulerDatabase.Instance scheduler;

  @BeforeEach
  void freshDatabase() throws SQLException {
    scheduler =
        SchedulerDatabase.fresh("fair")
            .instance(
                new SchedulerDatabase.Settings(
                    Duration.ofHours(1),
                    Duration.ofHours(1),
                    AFFINITY_WAIT,
                    Duration.ofDays(1),
                    Duration.ofSeconds(30)),
                clock);
  }

  @Test
  void singleBuildOfOneOwnerGetsTheNextFreeSlotAheadOfAnotherOwnersFiveHundred() throws Exception {
    heartbeat("w1", 2, Map.of());
    List<String> burst = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      burst.add(submit("burst", 10, "FROM scratch\nRUN burst-" + i, Map.of()));
    }
    clock.advance(Duration.ofSeconds(1));
    scheduler.assigner.assignQueued();
    String single = submit("single", 0, "FROM scratch\nRUN single", Map.of());
    clock.advance(Duration.ofSeconds(1));

    finish(active().getFirst(), BuildState.SUCCEEDED);
    scheduler.assigner.assignQueued();

    assertThat(state(single)).isEqualTo(BuildState.ASSIGNED);
    assertThat(active()).hasSize(2);
  }

  @Test
  void slotsAreSharedInTurnsBetweenTwoBusyOwners() throws Exception {
    heartbeat("w1", 1, Map.of());
    for (int i = 0; i < 20; i++) {
      submit("alice", 0, "FROM scratch\nRUN a-" + i, Map.of());
      submit("bob", 0, "FROM scratch\nRUN b-" + i, Map.of());
    }
    List<String> owners = new ArrayList<>();
    for (int round = 0; round < 8; round++) {
      clock.advance(Duration.ofSeconds(1));
      scheduler.assigner.assignQueued();
      Build running = active().getFirst();
      owners.add(running.owner());
      finish(running, BuildState.SUCCEEDED);
    }

    assertThat(owners)
        .containsExactly("alice", "bob", "alice", "bob", "alice", "bob", "alice", "bob");
  }

  @Test
  void buildThatRequiresLabelsNoWorkerCarriesWaitsWithoutHoldingUpTheOthers() throws Exception {
    heartbeat("plain", 1, Map.of());
    String gpuBuild = submit("alice", 5, "FROM scratch\nRUN gpu", Map.of("gpu", "true"));
    String plainBuild = submit("alice", 0, "FROM scratch\nRUN plain", Map.of());
    clock.advance(Duration.ofSeconds(1));

    scheduler.assigner.assignQueued();

    assertThat(state(gpuBuild)).isEqualTo(BuildState.QUEUED);
    assertThat(state(plainBuild)).isEqualTo(BuildState.ASSIGNED);

    heartbeat("gpu-1", 1, Map.of("gpu", "true", "zone", "a"));
    scheduler.assigner.assignQueued();

    assertThat(state(gpuBuild)).isEqualTo(BuildState.ASSIGNED);
    assertThat(worker(gpuBuild)).isEqualTo("gpu-1");
  }

  @Test
  void rebuildGoesToTheWorkerThatBuiltTheSourceEvenWhenAnotherIsLessLoaded() throws Exception {
    heartbeat("w1", 2, Map.of());
    String first = submit("alice", 0, "FROM scratch\nRUN app", Map.of());
    clock.advance(Duration.ofSeconds(1));
    scheduler.assigner.assignQueued();
    finish(find(first), BuildState.SUCCEEDED);
    String other = submit("bob", 0, "FROM scratch\nRUN other", Map.of());
    clock.advance(Duration.ofSeconds(1));
    scheduler.assigner.assignQueued();
    heartbeat("w2", 2, Map.of());

    String rebuild = submit("alice", 0, "FROM scratch\nRUN app", Map.of());
    clock.advance(Duration.ofSeconds(1));
    scheduler.assigner.assignQueued();

    assertThat(worker(other)).isEqualTo("w1");
    assertThat(worker(rebuild)).isEqualTo("w1");
  }

  @Test
  void rebuildWaitsForItsBusyWorkerOnlyUpToTheAffinityWait() throws Exception {
    heartbeat("w1", 1, Map.of());
    String first = submit("alice", 0, "FROM scratch\nRUN app", Map.of());
    clock.advance(Duration.ofSeconds(1));
    scheduler.assigner.assignQueued();
    finish(find(first), BuildState.SUCCEEDED);
    String blocker = submit("bob", 0, "FROM scratch\nRUN long", Map.of());
    clock.advance(Duration.ofSeconds(1));
    scheduler.assigner.assignQueued();
    assertThat(worker(blocker)).isEqualTo("w1");
    heartbeat("w2", 1, Map.of());

    String rebuild = submit("alice", 0, "FROM scratch\nRUN app", Map.of());
    clock.advance(AFFINITY_WAIT.minusSeconds(1));
    heartbeat("w1", 1, Map.of());
    heartbeat("w2", 1, Map.of());
    scheduler.assigner.assignQueued();
    assertThat(state(rebuild)).isEqualTo(BuildState.QUEUED);

    clock.advance(Duration.ofSeconds(1));
    scheduler.assigner.assignQueued();
    assertThat(worker(rebuild)).isEqualTo("w2");
  }

  private String submit(String owner, int priority, String dockerfile, Map<String, String> labels) {
    String id = BuildIds.newId();
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile(dockerfile),
            null,
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            priority,
            null,
            labels);
    scheduler.transactor.inTransaction(
        connection -> {
          scheduler.intake.requested(
              connection, id, new BuildRequested(spec, owner), clock.instant());
          return null;
        });
    return id;
  }

  private void heartbeat(String workerId, int slots, Map<String, String> labels) {
    scheduler.transactor.inTransaction(
        connection -> {
          scheduler.registry.heartbeat(
              connection,
              new WorkerHeartbeat(
                  workerId, slots, slots, AMD64, labels, List.of(), List.of(), T0, false),
              clock.instant());
          return null;
        });
  }

  private void finish(Build build, BuildState outcome) {
    scheduler.transactor.inTransaction(
        connection -> {
          scheduler.reports.finished(
              connection,
              build.id(),
              new BuildFinished(build.workerId(), build.attempt(), outcome, null, null, 0));
          return null;
        });
  }

  private List<Build> active() {
    return scheduler.transactor.inTransaction(scheduler.builds::active);
  }

  private Build find(String id) {
    return scheduler
        .transactor
        .inTransaction(connection -> scheduler.builds.lock(connection, id))
        .orElseThrow();
  }

  private BuildState state(String id) {
    return find(id).state();
  }

  private String worker(String id) {
    return find(id).workerId();
  }
}
