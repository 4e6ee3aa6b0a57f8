package dev.kiln.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.Topics;
import dev.kiln.contracts.events.BuildAssigned;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.contracts.events.WorkerHeartbeat;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.scheduler.domain.Build;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two scheduler instances assigning from one database at once, each with its own connections, as
 * two replicas of the service would. Runs on a database of its own so that no running service
 * touches the same queue.
 */
class ConcurrentAssignersTest {
  private static final int BUILDS = 200;
  private static final int WORKERS = 10;
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final SchedulerDatabase.Settings SETTINGS =
      new SchedulerDatabase.Settings(
          Duration.ofMinutes(10),
          Duration.ofHours(1),
          // Every build here has the same source: waiting for its last worker would hold the
          // others back, and this test is about sharing the queue, not about affinity.
          Duration.ZERO,
          Duration.ofDays(1),
          Duration.ofSeconds(30));

  private SchedulerDatabase database;
  private final Map<String, Integer> slots = new HashMap<>();

  @BeforeEach
  void freshDatabase() throws SQLException {
    database = SchedulerDatabase.fresh("assign_race");
  }

  @Test
  void twoAssignersGiveEachBuildOutOnceAndNeverOverfillAWorker() throws Exception {
    SchedulerDatabase.Instance first = database.instance(SETTINGS, Clock.systemUTC());
    SchedulerDatabase.Instance second = database.instance(SETTINGS, Clock.systemUTC());
    seedWorkersAndQueue(first);
    int capacity = slots.values().stream().mapToInt(Integer::intValue).sum();

    int given = 0;
    while (given < BUILDS) {
      // Nothing leaves a worker while both assigners run, so a worker's load only grows during a
      // phase: if it is within its slots at the end of the phase, it was within them throughout.
      race(first.assigner, second.assigner);
      while (first.assigner.assignQueued() > 0) {
        // both may have backed off from rows the other held; finish the phase alone
      }
      Map<String, Integer> load = activeLoad();
      load.forEach(
          (worker, busy) -> assertThat(busy).as(worker).isLessThanOrEqualTo(slots.get(worker)));
      int assignedNow = load.values().stream().mapToInt(Integer::intValue).sum();
      assertThat(assignedNow).isEqualTo(Math.min(capacity, BUILDS - given));
      given += assignedNow;
      finishActiveBuilds(first);
    }

    assertThat(assignmentsPerBuild()).hasSize(BUILDS).allSatisfy((id, n) -> assertThat(n).isOne());
    assertThat(
            database.countBy(
                "select build_id, count(*) from scheduler.transitions where to_state = 'ASSIGNED'"
                    + " group by build_id"))
        .hasSize(BUILDS)
        .allSatisfy((id, n) -> assertThat(n).isOne());
  }

  /** Runs both assigners at the same moment, each until a run of it assigns nothing. */
  private static void race(Assigner first, Assigner second) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
      List<Future<?>> runs = new ArrayList<>();
      for (Assigner assigner : List.of(first, second)) {
        runs.add(
            threads.submit(
                () -> {
                  start.await();
                  while (assigner.assignQueued() > 0) {
                    // keep going while there is room and a queue
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> run : runs) {
        run.get();
      }
    }
  }

  private void seedWorkersAndQueue(SchedulerDatabase.Instance scheduler) {
    scheduler.transactor.inTransaction(
        connection -> {
          Instant now = Instant.now();
          for (int i = 0; i < WORKERS; i++) {
            String id = "worker-" + i;
            int total = 1 + i % 4;
            slots.put(id, total);
            scheduler.workers.record(
                connection,
                new WorkerHeartbeat(
                    id, total, total, AMD64, Map.of(), List.of(), List.of(), now, false),
                now,
                now);
          }
          for (int i = 0; i < BUILDS; i++) {
            // Half ask for the workers' platform, half for none; priorities vary.
            BuildOptions options =
                new BuildOptions(false, null, false, i % 2 == 0 ? AMD64 : null, null);
            BuildSpec spec =
                new BuildSpec(
                    BuildSource.ofDockerfile("FROM scratch"),
                    null,
                    null,
                    null,
                    null,
                    false,
                    options,
                    null,
                    null,
                    i % 5,
                    null);
            scheduler.intake.requested(
                connection, BuildIds.newId(), new BuildRequested(spec, "owner-" + i % 3), now);
          }
          return null;
        });
  }

  private void finishActiveBuilds(SchedulerDatabase.Instance scheduler) {
    scheduler.transactor.inTransaction(
        connection -> {
          for (Build build : scheduler.builds.active(connection)) {
            scheduler.reports.finished(
                connection,
                build.id(),
                new BuildFinished(
                    build.workerId(), build.attempt(), BuildState.SUCCEEDED, null, null, 0));
          }
          return null;
        });
  }

  private Map<String, Integer> activeLoad() throws SQLException {
    return database.countBy(
        "select worker_id, count(*) from scheduler.builds"
            + " where state in ('ASSIGNED', 'RUNNING') group by worker_id");
  }

  private Map<String, Integer> assignmentsPerBuild() throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection connection = database.dataSource().getConnection();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "select payload from scheduler.outbox where topic = '"
                        + Topics.BUILD_COMMANDS
                        + "'")) {
      while (rows.next()) {
        Envelope envelope = EventCodec.decode(rows.getBytes(1)).orElseThrow();
        if (envelope.payload() instanceof BuildAssigned) {
          counts.merge(envelope.buildId(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }
}
