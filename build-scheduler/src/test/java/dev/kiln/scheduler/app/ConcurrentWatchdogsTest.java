package dev.kiln.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.Topics;
import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.BuildFinished;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.CancelBuild;
import dev.kiln.contracts.events.CancelReason;
import dev.kiln.contracts.events.CancelRequested;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.contracts.events.WorkerHeartbeat;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.contracts.spec.BuildLimits;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.scheduler.domain.Build;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two scheduler instances whose watchdogs run at the same moment over one database, with a worker
 * reporting at the same time: every overdue build is moved once, no move is lost, and every build's
 * history is one unbroken chain of moves.
 */
class ConcurrentWatchdogsTest {
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final int EACH = 25;
  private static final SchedulerDatabase.Settings SETTINGS =
      new SchedulerDatabase.Settings(
          Duration.ofMinutes(10),
          Duration.ofSeconds(15),
          Duration.ZERO,
          Duration.ofMinutes(1),
          Duration.ofSeconds(30));

  private final TestClock clock = new TestClock(T0);
  private SchedulerDatabase database;
  private SchedulerDatabase.Instance first;
  private SchedulerDatabase.Instance second;

  @BeforeEach
  void freshDatabase() throws SQLException {
    database = SchedulerDatabase.fresh("watch_race");
    first = database.instance(SETTINGS, clock);
    second = database.instance(SETTINGS, clock);
  }

  @Test
  void twoWatchdogsAndAReportingWorkerMoveEveryOverdueBuildOnceAndLoseNoMove() throws Exception {
    heartbeat("lost", Map.of("pool", "lost"), List.of());
    heartbeat("live", Map.of("pool", "live"), List.of());
    List<String> lost = submit(EACH, Map.of("pool", "lost"), null);
    List<String> timedOut = submit(EACH, Map.of("pool", "live"), 60);
    List<String> cancelled = submit(EACH, Map.of("pool", "live"), null);
    List<String> expired = submit(EACH, Map.of("pool", "nowhere"), null);
    clock.advance(Duration.ofSeconds(1));
    first.assigner.assignQueued();
    accept(lost, "lost");
    accept(timedOut, "live");
    accept(cancelled, "live");
    cancel(cancelled);

    // Two minutes on: "lost" went silent, "live" still beats and lists what it runs. Every build
    // is overdue for something: a lost worker, its timeout, its cancel grace, the queue's TTL.
    clock.advance(Duration.ofMinutes(2));
    List<String> stillRunning = new ArrayList<>(timedOut);
    stillRunning.addAll(cancelled);
    heartbeat("live", Map.of("pool", "live"), stillRunning);
    race(() -> watchTwice(first), () -> watchTwice(second));

    assertThat(finalStates(lost)).containsOnly(BuildState.QUEUED);
    assertThat(finalStates(cancelled)).containsOnly(BuildState.CANCELLED);
    assertThat(finalStates(expired)).containsOnly(BuildState.EXPIRED);
    assertThat(finalStates(timedOut)).containsOnly(BuildState.RUNNING);
    Map<String, Integer> superseded = cancels(CancelReason.SUPERSEDED);
    Map<String, Integer> timeouts = cancels(CancelReason.TIMEOUT);
    for (String id : lost) {
      assertThat(superseded.get(id)).as(id).isOne();
      assertThat(moves(id, BuildState.QUEUED)).as(id).isEqualTo(2);
    }
    for (String id : timedOut) {
      assertThat(timeouts.get(id)).as(id).isOne();
    }

    // The worker confirms half of the timeouts while both watchdogs end the stops past the grace.
    clock.advance(Duration.ofSeconds(31));
    heartbeat("live", Map.of("pool", "live"), timedOut);
    List<String> confirmed = timedOut.subList(0, EACH / 2);
    race(
        () -> watchTwice(first),
        () -> watchTwice(second),
        () -> {
          confirmTimeouts(confirmed);
          return null;
        });

    assertThat(finalStates(timedOut)).containsOnly(BuildState.TIMED_OUT);
    for (String id : timedOut) {
      assertThat(moves(id, BuildState.TIMED_OUT)).as(id).isOne();
    }
    for (String id : cancelled) {
      assertThat(moves(id, BuildState.CANCELLED)).as(id).isOne();
    }
    for (String id : expired) {
      assertThat(moves(id, BuildState.EXPIRED)).as(id).isOne();
    }
    assertEveryHistoryIsOneChain();
    assertThat(first.watchdog.watch()).isZero();
  }

  private List<String> submit(int count, Map<String, String> workerLabels, Integer timeout) {
    List<String> ids = new ArrayList<>();
    first.transactor.inTransaction(
        connection -> {
          for (int i = 0; i < count; i++) {
            String id = BuildIds.newId();
            BuildSpec spec =
                new BuildSpec(
                    BuildSource.ofDockerfile("FROM scratch\nRUN " + id),
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    new BuildLimits(null, null, timeout),
                    0,
                    null,
                    workerLabels);
            first.intake.requested(
                connection, id, new BuildRequested(spec, "owner-" + i % 3), clock.instant());
            ids.add(id);
          }
          return null;
        });
    return ids;
  }

  private void heartbeat(String workerId, Map<String, String> labels, List<String> running) {
    first.transactor.inTransaction(
        connection -> {
          first.registry.heartbeat(
              connection,
              new WorkerHeartbeat(
                  workerId,
                  100,
                  100,
                  AMD64,
                  labels,
                  running.stream().map(id -> new RunningAttempt(id, 1)).toList(),
                  List.of(),
                  T0,
                  false),
              clock.instant());
          return null;
        });
  }

  private void accept(List<String> ids, String workerId) {
    first.transactor.inTransaction(
        connection -> {
          for (String id : ids) {
            first.reports.accepted(connection, id, new BuildAccepted(workerId, 1));
          }
          return null;
        });
  }

  private void cancel(List<String> ids) {
    first.transactor.inTransaction(
        connection -> {
          for (String id : ids) {
            first.intake.cancelRequested(connection, id, new CancelRequested("bob", null));
          }
          return null;
        });
  }

  /** The worker reports each build TIMED_OUT in a transaction of its own, as batches would. */
  private void confirmTimeouts(List<String> ids) {
    for (String id : ids) {
      second.transactor.inTransaction(
          connection -> {
            second.reports.finished(
                connection, id, new BuildFinished("live", 1, BuildState.TIMED_OUT, null, null, 0));
            return null;
          });
    }
  }

  private static Void watchTwice(SchedulerDatabase.Instance scheduler) {
    scheduler.watchdog.watch();
    scheduler.watchdog.watch();
    return null;
  }

  @SafeVarargs
  private static void race(Callable<Void>... tasks) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newFixedThreadPool(tasks.length)) {
      List<Future<Void>> runs = new ArrayList<>();
      for (Callable<Void> task : tasks) {
        runs.add(
            threads.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      for (Future<Void> run : runs) {
        run.get();
      }
    }
  }

  private List<BuildState> finalStates(List<String> ids) {
    return first.transactor.inTransaction(
        connection -> {
          List<BuildState> states = new ArrayList<>();
          for (String id : ids) {
            states.add(first.builds.lock(connection, id).map(Build::state).orElseThrow());
          }
          return states;
        });
  }

  private int moves(String buildId, BuildState to) throws SQLException {
    return database
        .countBy(
            "select build_id, count(*) from scheduler.transitions where build_id = '"
                + buildId
                + "' and to_state = '"
                + to
                + "' group by build_id")
        .getOrDefault(buildId, 0);
  }

  private Map<String, Integer> cancels(CancelReason reason) throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection connection = database.dataSource().getConnection();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "select payload from scheduler.outbox where topic = '"
                        + Topics.BUILD_COMMANDS
                        + "' order by id")) {
      while (rows.next()) {
        Envelope envelope = EventCodec.decode(rows.getBytes(1)).orElseThrow();
        if (envelope.payload() instanceof CancelBuild cancel && cancel.reason() == reason) {
          counts.merge(envelope.buildId(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  /** Each move of a build starts where the one before it ended. */
  private void assertEveryHistoryIsOneChain() throws SQLException {
    Map<String, String> lastTo = new HashMap<>();
    try (Connection connection = database.dataSource().getConnection();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "select build_id, from_state, to_state from scheduler.transitions order by id")) {
      while (rows.next()) {
        String build = rows.getString(1);
        assertThat(rows.getString(2)).as("move of " + build).isEqualTo(lastTo.get(build));
        lastTo.put(build, rows.getString(3));
      }
    }
  }
}
