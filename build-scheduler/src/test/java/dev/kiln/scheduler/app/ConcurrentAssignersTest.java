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
import dev.kiln.messaging.Outbox;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.adapter.persistence.TransitionRepository;
import dev.kiln.scheduler.adapter.persistence.WorkerRepository;
import dev.kiln.scheduler.domain.Build;
import dev.kiln.scheduler.domain.PlacementPolicy;
import dev.kiln.testing.KilnInfrastructure;
import dev.kiln.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two scheduler instances assigning from one database at once, each with its own connections, as
 * two replicas of the service would. Runs on a database of its own so that no running service
 * touches the same queue.
 */
class ConcurrentAssignersTest {
  private static final int BUILDS = 200;
  private static final int WORKERS = 10;
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Duration LEASE = Duration.ofMinutes(10);
  private static final Duration WORKER_TIMEOUT = Duration.ofHours(1);

  private String url;
  private final Map<String, Integer> slots = new HashMap<>();

  @BeforeEach
  void freshDatabase() throws SQLException {
    PostgresServer postgres = KilnInfrastructure.postgres();
    String database = "assign_race_" + Long.toHexString(System.nanoTime());
    try (Connection admin = dataSource(postgres.jdbcUrl()).getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("create database " + database);
    }
    url = postgres.jdbcUrl().replace("/postgres", "/" + database);
    Flyway.configure()
        .dataSource(dataSource(url))
        .schemas("scheduler")
        .defaultSchema("scheduler")
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  @Test
  void twoAssignersGiveEachBuildOutOnceAndNeverOverfillAWorker() throws Exception {
    Assigner first = assigner();
    Assigner second = assigner();
    seedWorkersAndQueue();
    int capacity = slots.values().stream().mapToInt(Integer::intValue).sum();

    int given = 0;
    while (given < BUILDS) {
      // Nothing leaves a worker while both assigners run, so a worker's load only grows during a
      // phase: if it is within its slots at the end of the phase, it was within them throughout.
      race(first, second);
      while (first.assignQueued() > 0) {
        // both may have backed off from rows the other held; finish the phase alone
      }
      Map<String, Integer> load = activeLoad();
      load.forEach(
          (worker, busy) -> assertThat(busy).as(worker).isLessThanOrEqualTo(slots.get(worker)));
      int assignedNow = load.values().stream().mapToInt(Integer::intValue).sum();
      assertThat(assignedNow).isEqualTo(Math.min(capacity, BUILDS - given));
      given += assignedNow;
      finishActiveBuilds();
    }

    assertThat(assignmentsPerBuild()).hasSize(BUILDS).allSatisfy((id, n) -> assertThat(n).isOne());
    assertThat(historyAssignmentsPerBuild())
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

  private Assigner assigner() {
    BuildRepository builds = new BuildRepository();
    return new Assigner(
        new Transactor(dataSource(url), () -> {}),
        builds,
        new WorkerRepository(),
        transitions(builds),
        new PlacementPolicy(WORKER_TIMEOUT),
        LEASE,
        Clock.systemUTC());
  }

  private static Transitions transitions(BuildRepository builds) {
    return new Transitions(builds, new TransitionRepository(), new Outbox("scheduler.outbox"));
  }

  private void seedWorkersAndQueue() {
    BuildRepository builds = new BuildRepository();
    BuildIntake intake = new BuildIntake(builds, transitions(builds), Clock.systemUTC());
    WorkerRepository workers = new WorkerRepository();
    new Transactor(dataSource(url), () -> {})
        .inTransaction(
            connection -> {
              Instant now = Instant.now();
              for (int i = 0; i < WORKERS; i++) {
                String id = "worker-" + i;
                int total = 1 + i % 4;
                slots.put(id, total);
                workers.record(
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
                intake.requested(
                    connection, BuildIds.newId(), new BuildRequested(spec, "owner-" + i % 3), now);
              }
              return null;
            });
  }

  private void finishActiveBuilds() {
    BuildRepository builds = new BuildRepository();
    ReportIntake reports = new ReportIntake(builds, transitions(builds), LEASE, Clock.systemUTC());
    new Transactor(dataSource(url), () -> {})
        .inTransaction(
            connection -> {
              for (Build build : builds.active(connection)) {
                reports.finished(
                    connection,
                    build.id(),
                    new BuildFinished(
                        build.workerId(), build.attempt(), BuildState.SUCCEEDED, null, null, 0));
              }
              return null;
            });
  }

  private Map<String, Integer> activeLoad() throws SQLException {
    return countBy(
        "select worker_id, count(*) from scheduler.builds"
            + " where state in ('ASSIGNED', 'RUNNING') group by worker_id");
  }

  private Map<String, Integer> historyAssignmentsPerBuild() throws SQLException {
    return countBy(
        "select build_id, count(*) from scheduler.transitions where to_state = 'ASSIGNED'"
            + " group by build_id");
  }

  private Map<String, Integer> assignmentsPerBuild() throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection connection = dataSource(url).getConnection();
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

  private Map<String, Integer> countBy(String sql) throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection connection = dataSource(url).getConnection();
        ResultSet rows = connection.createStatement().executeQuery(sql)) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getInt(2));
      }
    }
    return counts;
  }

  private static DataSource dataSource(String url) {
    PostgresServer postgres = KilnInfrastructure.postgres();
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url);
    dataSource.setUser(postgres.user());
    dataSource.setPassword(postgres.password());
    return dataSource;
  }
}
