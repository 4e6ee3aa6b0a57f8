package dev.kiln.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.scheduler.app.TopicOffsets.Partition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatHorizonTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration ROUND = Duration.ofSeconds(1);
  private static final Duration AFTER_OUTAGE = Duration.ofSeconds(15);
  private static final Partition HEARTBEATS_0 = new Partition("kiln.worker.heartbeats.v1", 0);
  private static final Partition HEARTBEATS_1 = new Partition("kiln.worker.heartbeats.v1", 1);
  private static final Partition REPORTS_0 = new Partition("kiln.build.reports.v1", 0);

  private final TestClock clock = new TestClock(T0);
  private final FakeTopicOffsets offsets = new FakeTopicOffsets();
  private final HeartbeatHorizon horizon = new HeartbeatHorizon(offsets, AFTER_OUTAGE, clock);

  @Test
  void withNothingWaitingToBeAppliedTheHorizonIsTheRoundItself() {
    assertThat(horizon.advance()).contains(T0);

    clock.advance(ROUND);
    assertThat(horizon.advance()).contains(T0.plus(ROUND));
  }

  @Test
  void nothingIsHeardWhileRecordsWrittenBeforeTheFirstRoundAreUnapplied() {
    offsets.write(HEARTBEATS_0, 5);

    assertThat(horizon.advance()).isEmpty();
    clock.advance(ROUND);
    assertThat(horizon.advance()).isEmpty();
  }

  @Test
  void roundIsHeardOnlyOnceEveryPartitionIsAppliedUpToItsEnd() {
    offsets.write(HEARTBEATS_0, 5);
    offsets.write(HEARTBEATS_1, 3);
    offsets.write(REPORTS_0, 2);
    assertThat(horizon.advance()).isEmpty();

    offsets.apply(HEARTBEATS_0, 5);
    offsets.apply(HEARTBEATS_1, 3);
    offsets.apply(REPORTS_0, 1);
    clock.advance(ROUND);
    offsets.write(HEARTBEATS_0, 1);
    assertThat(horizon.advance()).as("a report of the first round is not applied").isEmpty();

    offsets.apply(REPORTS_0, 2);
    clock.advance(ROUND);
    assertThat(horizon.advance())
        .as("the first round is heard, the second waits for its new heartbeat")
        .contains(T0);
  }

  @Test
  void steadyFlowOfHeartbeatsMovesTheHorizonOneRoundBehindTheClock() {
    for (int round = 0; round < 10; round++) {
      offsets.write(HEARTBEATS_0, 3);
      offsets.write(HEARTBEATS_1, 2);
      horizon.advance();
      // The consumer applies what was written before the next round, and more arrives meanwhile.
      offsets.applyAll();
      offsets.write(HEARTBEATS_1, 1);
      clock.advance(ROUND);
    }

    assertThat(horizon.advance()).contains(clock.instant().minus(ROUND));
  }

  @Test
  void unreachableBrokerKeepsTheHorizonWhereItWas() {
    assertThat(horizon.advance()).contains(T0);

    offsets.reachable(false);
    for (int round = 0; round < 60; round++) {
      clock.advance(ROUND);
      assertThat(horizon.advance()).contains(T0);
    }
  }

  @Test
  void roundTakenBeforeAnOutageIsHeardOnceTheGroupAppliedIt() {
    offsets.write(HEARTBEATS_0, 4);
    assertThat(horizon.advance()).isEmpty();

    offsets.applyAll();
    offsets.reachable(false);
    clock.advance(ROUND);
    assertThat(horizon.advance()).isEmpty();

    offsets.reachable(true);
    clock.advance(ROUND);
    assertThat(horizon.advance()).as("the first round, taken before the outage").contains(T0);
  }

  @Test
  void afterAnOutageTheHorizonWaitsUntilWorkersDeliveredWhatTheyHeld() {
    assertThat(horizon.advance()).contains(T0);
    offsets.reachable(false);
    clock.advance(Duration.ofSeconds(14));
    horizon.advance();

    offsets.reachable(true);
    clock.advance(ROUND);
    Instant answersAgain = clock.instant();
    for (Duration waited = Duration.ZERO;
        waited.compareTo(AFTER_OUTAGE) < 0;
        waited = waited.plus(ROUND)) {
      assertThat(horizon.advance()).as("%s after the broker answers again", waited).contains(T0);
      // What workers held during the outage arrives, and is applied, meanwhile.
      offsets.write(HEARTBEATS_0, 2);
      offsets.applyAll();
      clock.advance(ROUND);
    }

    assertThat(horizon.advance()).contains(answersAgain.plus(AFTER_OUTAGE));
  }

  @Test
  void groupFarBehindStillMovesTheHorizonAsItCatchesUp() {
    for (int round = 0; round < HeartbeatHorizon.MAX_PENDING * 2; round++) {
      offsets.write(HEARTBEATS_0, 1);
      horizon.advance();
      clock.advance(ROUND);
    }

    offsets.apply(HEARTBEATS_0, 1);
    assertThat(horizon.advance()).as("only the first round is applied").contains(T0);

    offsets.applyAll();
    assertThat(horizon.advance()).as("everything is applied").contains(clock.instant());
  }
}
