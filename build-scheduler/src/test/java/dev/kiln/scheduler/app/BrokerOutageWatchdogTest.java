package dev.kiln.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.BuildRequested;
import dev.kiln.contracts.events.WorkerHeartbeat;
import dev.kiln.contracts.events.WorkerHeartbeat.RunningAttempt;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.scheduler.app.TopicOffsets.Partition;
import dev.kiln.scheduler.domain.Build;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog over a real database, with heartbeats that travel through a simulated broker. Each
 * round is one second: producers deliver what they hold, workers that are due heartbeat, the
 * watchdog looks, the consumer applies what is in the topic and commits. While the broker is down,
 * producers hold what workers send and the consumer reads nothing; once it is back, both need a few
 * rounds to reconnect, and what producers held arrives late, with the time it was sent.
 */
class BrokerOutageWatchdogTest {
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration ROUND = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final int HEARTBEAT_EVERY = 5;
  private static final int RECONNECT_ROUNDS = 3;
  private static final Partition HEARTBEATS = new Partition("kiln.worker.heartbeats.v1", 0);
  private static final SchedulerDatabase.Settings SETTINGS =
      new SchedulerDatabase.Settings(
          TIMEOUT, TIMEOUT, Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(30));

  private final TestClock clock = new TestClock(T0);
  private final FakeTopicOffsets offsets = new FakeTopicOffsets();
  private final List<Sent> heldByProducers = new ArrayList<>();
  private final List<Sent> inTopic = new ArrayList<>();
  private final Map<String, Integer> lastHeartbeat = new HashMap<>();
  private SchedulerDatabase.Instance scheduler;
  private boolean brokerUp = true;
  private int upFor = RECONNECT_ROUNDS;
  private int second;

  private record Sent(WorkerHeartbeat heartbeat, Instant sentAt) {}

  private record Attempt(BuildState state, int attempt) {}

  @BeforeEach
  void freshDatabase() throws SQLException {
    scheduler = SchedulerDatabase.fresh("broker_outage").instance(SETTINGS, clock, offsets);
  }

  @Test
  void brokerOutageLongerThanTheWorkerTimeoutLosesNoLiveWorkerButStillFindsTheDeadOne() {
    String onLive = runOn("live");
    String onDead = runOn("dead");
    rounds(30, List.of("live", "dead"));
    rounds(2, List.of("live"));

    brokerDown();
    rounds(40, List.of("live"));
    assertThat(state(onLive)).isEqualTo(new Attempt(BuildState.RUNNING, 1));
    assertThat(state(onDead))
        .as("nothing is judged while heartbeats cannot be read")
        .isEqualTo(new Attempt(BuildState.RUNNING, 1));

    brokerBack();
    int foundAfter = roundsUntilRequeued(onDead, 60, List.of("live"));
    rounds(30, List.of("live"));

    assertThat(state(onLive)).isEqualTo(new Attempt(BuildState.RUNNING, 1));
    assertThat(foundAfter)
        .as("rounds from the broker's return until the dead worker's build is requeued")
        .isBetween((int) TIMEOUT.toSeconds(), (int) TIMEOUT.toSeconds() + 3);
  }

  @Test
  void deadWorkerIsFoundOneWorkerTimeoutAfterItsLastHeartbeatWhileHeartbeatsFlow() {
    String onDead = runOn("dead");
    runOn("live");
    rounds(20, List.of("live", "dead"));

    roundsUntilRequeued(onDead, 60, List.of("live"));

    int requeuedAt = second - 1;
    assertThat(requeuedAt - lastHeartbeat.get("dead"))
        .as("seconds from the dead worker's last heartbeat until its build is requeued")
        .isBetween((int) TIMEOUT.toSeconds(), (int) TIMEOUT.toSeconds() + 2);
  }

  /** A build of its own, assigned to a worker of that name and started there. */
  private String runOn(String workerId) {
    heartbeat(workerId, List.of());
    consume();
    String id = BuildIds.newId();
    scheduler.transactor.inTransaction(
        connection -> {
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
                  null,
                  0,
                  null,
                  Map.of("pool", workerId));
          scheduler.intake.requested(
              connection, id, new BuildRequested(spec, "alice"), clock.instant());
          return null;
        });
    scheduler.assigner.assignQueued();
    scheduler.transactor.inTransaction(
        connection -> {
          scheduler.reports.accepted(connection, id, new BuildAccepted(workerId, 1));
          return null;
        });
    return id;
  }

  private void rounds(int count, List<String> beating) {
    for (int i = 0; i < count; i++) {
      round(beating);
    }
  }

  /** Rounds until the build is queued again; how many it took. */
  private int roundsUntilRequeued(String buildId, int atMost, List<String> beating) {
    for (int i = 1; i <= atMost; i++) {
      round(beating);
      if (state(buildId).state() == BuildState.QUEUED) {
        return i;
      }
    }
    throw new AssertionError(buildId + " was not requeued within " + atMost + " rounds");
  }

  private void round(List<String> beating) {
    if (brokerUp) {
      upFor++;
    }
    deliver();
    if (second % HEARTBEAT_EVERY == 0) {
      for (String workerId : beating) {
        heartbeat(workerId, running(workerId));
      }
    }
    scheduler.watchdog.watch();
    consume();
    clock.advance(ROUND);
    second++;
  }

  private void brokerDown() {
    brokerUp = false;
    upFor = 0;
    offsets.reachable(false);
  }

  private void brokerBack() {
    brokerUp = true;
    offsets.reachable(true);
  }

  /** What the worker runs: the builds assigned or running on it. */
  private List<RunningAttempt> running(String workerId) {
    return scheduler.transactor.inTransaction(
        connection -> {
          List<RunningAttempt> running = new ArrayList<>();
          for (Build build : scheduler.builds.active(connection)) {
            if (workerId.equals(build.workerId())) {
              running.add(new RunningAttempt(build.id(), build.attempt()));
            }
          }
          return running;
        });
  }

  private void heartbeat(String workerId, List<RunningAttempt> running) {
    lastHeartbeat.put(workerId, second);
    heldByProducers.add(
        new Sent(
            new WorkerHeartbeat(
                workerId,
                1,
                running.isEmpty() ? 1 : 0,
                AMD64,
                Map.of("pool", workerId),
                running,
                List.of(),
                T0.minusSeconds(600),
                false),
            clock.instant()));
    deliver();
  }

  /** Producers that reach the broker write what they hold to the topic. */
  private void deliver() {
    if (!brokerUp || upFor < RECONNECT_ROUNDS) {
      return;
    }
    inTopic.addAll(heldByProducers);
    offsets.write(HEARTBEATS, heldByProducers.size());
    heldByProducers.clear();
  }

  /** A consumer that reaches the broker applies what is in the topic, then commits. */
  private void consume() {
    if (!brokerUp || upFor < RECONNECT_ROUNDS) {
      return;
    }
    scheduler.transactor.inTransaction(
        connection -> {
          for (Sent sent : inTopic) {
            scheduler.registry.heartbeat(connection, sent.heartbeat(), sent.sentAt());
          }
          return null;
        });
    inTopic.clear();
    offsets.applyAll();
  }

  private Attempt state(String buildId) {
    return scheduler.transactor.inTransaction(
        connection -> {
          Build build = scheduler.builds.lock(connection, buildId).orElseThrow();
          return new Attempt(build.state(), build.attempt());
        });
  }
}
