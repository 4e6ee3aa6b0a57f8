package dev.kiln.scheduler.app;

import dev.kiln.messaging.Outbox;
import dev.kiln.scheduler.adapter.persistence.AffinityRepository;
import dev.kiln.scheduler.adapter.persistence.BuildRepository;
import dev.kiln.scheduler.adapter.persistence.OwnerRepository;
import dev.kiln.scheduler.adapter.persistence.TransitionRepository;
import dev.kiln.scheduler.adapter.persistence.WorkerRepository;
import dev.kiln.scheduler.domain.FairShare;
import dev.kiln.scheduler.domain.PlacementPolicy;
import dev.kiln.testing.KilnInfrastructure;
import dev.kiln.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A scheduler schema in a database of its own on the test JVM's PostgreSQL, with the use cases
 * wired to it as one scheduler instance would have them. Each {@link #instance} has its own
 * connections, as a replica of the service would.
 */
final class SchedulerDatabase {
  private final String url;

  private SchedulerDatabase(String url) {
    this.url = url;
  }

  /** A new, migrated database whose name starts with {@code prefix}. */
  static SchedulerDatabase fresh(String prefix) throws SQLException {
    PostgresServer postgres = KilnInfrastructure.postgres();
    String database = prefix + "_" + Long.toHexString(System.nanoTime());
    try (Connection admin = dataSource(postgres.jdbcUrl()).getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("create database " + database);
    }
    SchedulerDatabase created =
        new SchedulerDatabase(postgres.jdbcUrl().replace("/postgres", "/" + database));
    Flyway.configure()
        .dataSource(created.dataSource())
        .schemas("scheduler")
        .defaultSchema("scheduler")
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return created;
  }

  DataSource dataSource() {
    return dataSource(url);
  }

  /**
   * One scheduler instance's use cases on this database, whose watchdog has heard everything up to
   * the clock: the test hands heartbeats and reports to the use cases itself.
   */
  Instance instance(Settings settings, Clock clock) {
    return new Instance(settings, clock, FakeTopicOffsets.caughtUp());
  }

  /** One scheduler instance whose watchdog hears heartbeats as far as {@code offsets} tell. */
  Instance instance(Settings settings, Clock clock, TopicOffsets offsets) {
    return new Instance(settings, clock, offsets);
  }

  /**
   * The settings the use cases take.
   *
   * @param lease the lease
   * @param workerTimeout the worker timeout
   * @param affinityWait the affinity wait
   * @param queueTtl the queue's time to live
   * @param cancelGrace the cancel grace
   */
  record Settings(
      Duration lease,
      Duration workerTimeout,
      Duration affinityWait,
      Duration queueTtl,
      Duration cancelGrace) {}

  final class Instance {
    final BuildRepository builds = new BuildRepository();
    final WorkerRepository workers = new WorkerRepository();
    final Transitions transitions =
        new Transitions(builds, new TransitionRepository(), new Outbox("scheduler.outbox"));
    final Transactor transactor = new Transactor(dataSource(), transitions, () -> {});
    final BuildIntake intake;
    final ReportIntake reports;
    final WorkerRegistry registry;
    final Assigner assigner;
    final BuildWatchdog watchdog;

    private Instance(Settings settings, Clock clock, TopicOffsets offsets) {
      intake = new BuildIntake(builds, transitions, clock);
      reports =
          new ReportIntake(builds, new AffinityRepository(), transitions, settings.lease(), clock);
      registry = new WorkerRegistry(workers, builds, settings.lease(), clock);
      assigner =
          new Assigner(
              transactor,
              builds,
              workers,
              new OwnerRepository(),
              new AffinityRepository(),
              transitions,
              new PlacementPolicy(settings.workerTimeout(), settings.affinityWait()),
              new FairShare(Duration.ofMinutes(1)),
              settings.lease(),
              clock);
      watchdog =
          new BuildWatchdog(
              transactor,
              builds,
              workers,
              transitions,
              settings.workerTimeout(),
              settings.queueTtl(),
              settings.cancelGrace(),
              3,
              new HeartbeatHorizon(offsets, settings.workerTimeout(), clock),
              clock);
    }
  }

  /** Counts of a query's first column grouped as its second: {@code select key, count(*) …}. */
  Map<String, Integer> countBy(String sql) throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection connection = dataSource().getConnection();
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
